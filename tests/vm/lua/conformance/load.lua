-- load, loadstring, environments.
print(load("return 1 + 2")())
print(loadstring("return ...")(4, 5))
print(load("syntax error here"))
print(type(load("return x", "=chunk")))
local parts = { "return ", "'from ", "a reader'" }
local i = 0
print(load(function() i = i + 1; return parts[i] end)())
local f = load("x = 10; return x")
local env = { }
setfenv(f, env)
print(f(), env.x, x)
print(load("local a <const> = 1"))
print(load("return 0x10, 1e2, 'a\\65\\x42', [[long]], [==[x]]y]==]")())
print(load("goto done; do return 1 end ::done:: return 2")())
print(pcall(load("error('in chunk')", "=named")))
print(getfenv(1) == _G, type(getfenv(print)))
local g = load("return _G")
print(g() == _G)
print(load("return ...", "=varargs")("a", "b"))
print(type(load("")), load("")())
