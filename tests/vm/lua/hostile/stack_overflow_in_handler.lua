-- expect: ok
-- An error handler that overflows the stack again after a stack overflow
-- once wrote past the stack shrunk under it while unwinding.
local add = function(a, b) local _ add(a, b) end
local mt = { __add = add }
local t1, t2 = setmetatable({}, mt), setmetatable({}, mt)
local function wrap() local _ = t1 + t2 end
coroutine.wrap(function()
  xpcall(error, function()
    pcall(error)
    local _, _, _, _, _, _, _, _, _, _
    local _, _, _, _, _, _, _, _, _, _
    local _, _, _, _, _, _, _, _, _, _
    wrap()
  end)
end)()
