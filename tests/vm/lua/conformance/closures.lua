-- Closures, upvalues, varargs, recursion.
local function counter()
	local n = 0
	return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print(get(), inc(), get())
local fs = {}
for i = 1, 5 do fs[i] = function() return i end end
print(fs[1](), fs[3](), fs[5]())
local function va(...)
	local a, b = ...
	return select("#", ...), a, b, #{ ... }, ...
end
print(va())
print(va(nil, nil))
print((va(1, 2, 3)))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end
print(tail(100000, 0))
local function curry(f) return function(a) return function(b) return f(a, b) end end end
print(curry(function(a, b) return a .. b end)("x")("y"))
local shared
do
	local x = 1
	shared = { function() x = x + 1 end, function() return x end }
end
shared[1](); shared[1]()
print(shared[2]())
print(select("#", (function() end)()), (function(...) return select("#", ...) end)(1, nil, 3, nil))
local t = setmetatable({}, { __index = function(_, k) return k * 2 end })
print(t[21], rawget(t, 21))
