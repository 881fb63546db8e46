-- Calls, tables and strings in compiled loops; every value type stored
-- into tables and read back through compiled code.
local function add(a, b) return a + b end
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local s = 0
for i = 1, 200000 do s = add(s, i) end
print("calls", s, fib(24))

local objs = {}
local co = coroutine.create(function() end)
local values = { 1, 2.5, "str", true, false, {}, add, co }
for i = 1, 100000 do
  local v = values[i % #values + 1]
  objs[i % 64 + 1] = v
end
local kinds = {}
for i = 1, 64 do
  local ty = type(objs[i])
  kinds[ty] = (kinds[ty] or 0) + 1
end
local names = {}
for k, v in pairs(kinds) do names[#names + 1] = k .. "=" .. v end
table.sort(names)
print("types", table.concat(names, " "))

local keyed = {}
local keys = { values[6], add, co, "k", 7, 2.5, true }
for r = 1, 20000 do
  for i = 1, #keys do
    local key = keys[i]
    keyed[key] = (keyed[key] or 0) + i
  end
end
local ksum = 0
for i = 1, #keys do ksum = ksum + keyed[keys[i]] end
print("keys", ksum)

local parts = {}
for i = 1, 20000 do parts[#parts + 1] = string.char(65 + i % 26) .. i end
local joined = table.concat(parts, ",", 1, 10)
print("strings", joined, #table.concat(parts))
local cnt = 0
for i = 1, 50000 do
  local str = "item" .. (i % 100)
  if str:sub(1, 4) == "item" and #str > 4 then cnt = cnt + str:byte(5) end
end
print("sub", cnt)
local up = 0
for i = 1, 30000 do up = up + #string.upper("abc" .. i) + #string.rep("x", i % 5) end
print("upper", up)
