-- The math and bit libraries.
local xs = { 0, 0.5, 1, 2, 10, 100, -0.5, -3, 1e-10, 1e10, math.pi / 6, math.pi / 4 }
for _, x in ipairs(xs) do
	print(x, math.abs(x), math.floor(x), math.ceil(x), math.sqrt(math.abs(x)), math.exp(x / 10),
		math.log(math.abs(x) + 1), math.log10(math.abs(x) + 1), math.sin(x), math.cos(x), math.tan(x))
	print(math.asin(x / 200), math.acos(x / 200), math.atan(x), math.atan2(x, 2), math.sinh(x / 10),
		math.cosh(x / 10), math.tanh(x), math.pow(2, x / 10), math.fmod(x, 3), math.modf(x), math.frexp(x))
end
print(math.ldexp(0.75, 4), math.deg(math.pi), math.rad(180), math.max(3, 7, 1), math.min(3, 7, 1))
print(math.huge, -math.huge, math.pi, math.log(8, 2), math.log(100, 10), math.exp(1))
print(math.floor(-0.0), math.sqrt(-1) ~= math.sqrt(-1), math.fmod(1, 0) ~= math.fmod(1, 0), math.log(0))
math.randomseed(42)
local r = {}
for i = 1, 5 do r[i] = math.random(1, 100) end
print(table.concat(r, " "), math.random() < 1)
print(bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31), bit.rshift(-1, 28))
print(bit.arshift(-256, 4), bit.rol(1, 33), bit.ror(1, 1), bit.tohex(255), bit.tohex(-1, 4), bit.tobit(2^32 + 5), bit.bswap(0x12345678))
