-- expect: EOVERFLOW kernel stack limit reached
-- 10,000 objects whose finalizer runs a full collection: each collection
-- runs the next pending finalizer inside the one running, 10,000 deep in
-- C. Only the finalizer call's C-stack check ends it (patch 0053): it
-- once ran into the kernel stack's guard page.
local proto = newproxy(true)
getmetatable(proto).__gc = function() collectgarbage() end
for _ = 1, 10000 do newproxy(proto) end
collectgarbage()
