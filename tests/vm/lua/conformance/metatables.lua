-- Metatables and metamethods.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b) if type(b) == "number" then return vec(a.x * b, a.y * b) end return a.x * b.x + a.y * b.y end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__concat = function(a, b) return tostring(a) .. "&" .. tostring(b) end
V.__tostring = function(a) return "(" .. a.x .. "," .. a.y .. ")" end
V.__call = function(a, k) return a[k] end
V.len = function(a) return math.sqrt(a * a) end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a - b), a * b, tostring(a * 2), tostring(-a))
print(a == vec(1, 2), a ~= b, a < b, a <= b, a > b, a >= b, a .. b, b:len(), a("y"))
local log = {}
local proxy = setmetatable({}, {
	__index = function(_, k) log[#log + 1] = "get " .. k; return k .. "!" end,
	__newindex = function(t, k, v) log[#log + 1] = "set " .. k; rawset(t, k, v) end,
})
print(proxy.foo, proxy.bar)
proxy.foo = 1
print(proxy.foo, table.concat(log, ","))
local locked = setmetatable({}, { __metatable = "locked" })
print(getmetatable(locked), pcall(setmetatable, locked, {}))
print(getmetatable("abc").__index == string, ("x"):upper())
local chain = setmetatable({}, { __index = setmetatable({ a = 1 }, { __index = { b = 2 } }) })
print(chain.a, chain.b, chain.c)
local mt = { __index = function(t, k) return k end }
print(setmetatable({}, mt)[5], rawequal(setmetatable({}, mt), setmetatable({}, mt)))
print(pcall(function() return {} + 1 end))
print(pcall(function() return {} < {} end))
print(pcall(function() local x = nil; return x.y end))
