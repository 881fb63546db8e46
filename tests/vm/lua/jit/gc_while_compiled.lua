-- Garbage collection while compiled code runs: allocation in hot loops,
-- weak tables.
local live = {}
for i = 1, 300000 do
  local t = { i, tostring(i) }
  if i % 1000 == 0 then live[#live + 1] = t end
end
collectgarbage()
print("live", #live, live[1][2], live[#live][1])

local weak = setmetatable({}, { __mode = "k" })
for i = 1, 50000 do weak[{}] = i end
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("weak", n)

local acc = 0
for i = 1, 200000 do
  local s = ("%d"):format(i % 97)
  acc = acc + #s
end
print("format", acc)
