-- expect: EOVERFLOW kernel stack limit reached
-- Every nested resume runs on the C stack.
local function nest() return coroutine.wrap(nest)() end
nest()
