-- What a script must not have, and what it must have.
for _, name in ipairs({ "io", "os", "package", "debug", "ffi", "loadfile", "dofile", "require" }) do
	assert(_G[name] == nil, name .. " is reachable")
end
for _, name in ipairs({ "string", "table", "math", "bit", "jit", "ksc", "load", "loadstring", "pcall" }) do
	assert(_G[name] ~= nil, name .. " is missing")
end
-- load() takes text, never bytecode.
assert(load("return 1 + 1")() == 2)
local f, err = load(string.dump(function() return 1 end))
assert(f == nil and err:find("wrong mode", 1, true), "bytecode was loaded: " .. tostring(err))
-- No address: ids of at most 48 bits, stable per object.
local t = {}
for _, v in ipairs({ t, function() end, coroutine.create(function() end), newproxy() }) do
	local hex = tostring(v):match(": 0x(%x+)$")
	assert(hex and #hex <= 12, "address-like: " .. tostring(v))
end
assert(tostring(t) == tostring(t))
assert(tostring(t) ~= tostring({}))
local p = string.format("%p", t)
assert(#p <= 14 and not p:find("ffff"), "address-like %p: " .. p)
print("sandbox ok")
