-- expect: ETIME time limit exceeded
-- Compiled loops inside coroutines, resumed by a compiled loop, forever.
local co = coroutine.wrap(function()
  local x = 0
  while true do
    for i = 1, 100 do x = x + i end
    coroutine.yield(x)
  end
end)
local n = 0
while true do n = n + co() % 7 end
