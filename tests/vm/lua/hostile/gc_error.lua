-- expect: EINVAL error in __gc
local p = newproxy(true)
getmetatable(p).__gc = function() error("error in __gc") end
p = nil
collectgarbage()
collectgarbage()
