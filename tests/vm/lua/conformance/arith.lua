-- Arithmetic, comparison and number conversion.
local vals = { 0, -0, 1, -1, 7, -7, 0.5, 3.25, 2^31, 2^32, 2^53, 2^53 + 1, -2^63, 1e15, 1e16, 1e100, 1/0, -1/0 }
for _, a in ipairs(vals) do
	for _, b in ipairs({ 1, -1, 2, 3, 0.5, -7, 1e10 }) do
		print(a, b, a + b, a - b, a * b, a / b, a % b, a ^ 2, -a, a < b, a <= b, a == b)
	end
end
print(0/0 ~= 0/0, 1/0 > 1e308, -1/0 < -1e308, 2^1024, 2^-1074, 2^-1075)
print(7 % 3, -7 % 3, 7 % -3, -7 % -3, 5.5 % 2, -5.5 % 2, 3 % 1/0)
print(1e308 * 10, -1e308 * 10, 5e-324 / 2, math.huge - math.huge)
print(2^63 == 2^63 + 1, 2^53 == 2^53 + 1, 0.1 + 0.2 == 0.3, 0.1 + 0.2)
for _, s in ipairs({ "10", "0x10", "0X1p4", "1e2", " 12 ", "12a", "", "-0", "inf", "nan", "1e400", ".5", "5.", "0x", "1e", "  0x7fffffff  ", "-0x10" }) do
	print(string.format("%q", s), tonumber(s))
end
for _, p in ipairs({ { "ff", 16 }, { "777", 8 }, { "zz", 36 }, { "101", 2 }, { "12", 3 }, { "9", 8 }, { " -ff ", 16 }, { "7fffffffffffffff", 16 } }) do
	print(p[1], p[2], tonumber(p[1], p[2]))
end
print(tostring(1e15), tostring(1e16), tostring(-0), tostring(0/0) == tostring(0/0), tostring(123456789012))
print(1 == 1.0, "1" == 1, 10 .. 20, "10" + 5, "3" * "4", "0x10" + 0, 2^-1)
print(math.floor(-3.5), math.ceil(-3.5), math.floor(2^40 + 0.5), math.fmod(7, 3), math.fmod(-7, 3))
