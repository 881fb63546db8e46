-- string.format of numbers, edge values included.
local nums = { 0, -0, 1, -1, 0.1, 1/3, 2/3, 100, 123456.789, 1e-5, 1e-300, 5e-324, 2.2250738585072014e-308,
	1e15, 1e16, 1e21, 1e300, 1.7976931348623157e308, 2^53, 2^63, -2^63, 1/0, -1/0, math.pi, -math.pi, 0.5, 1.5, 2.5 }
local fmts = { "%g", "%.14g", "%.17g", "%.3g", "%10.4g", "%-12g|", "%e", "%.0e", "%E", "%f", "%.0f", "%.10f",
	"%12.3f", "%+f", "% f", "%a", "%A", "%.3a" }
for _, n in ipairs(nums) do
	local row = {}
	for _, f in ipairs(fmts) do row[#row + 1] = string.format(f, n) end
	print(table.concat(row, " "))
end
print(string.format("%g %g %f %a", 0/0, -(0/0), 0/0, 0/0):gsub("-nan", "nan"))
for _, n in ipairs({ 0, 1, -1, 255, 65535, 2^31 - 1, -2^31, 2^32 + 5, 123456789 }) do
	print(string.format("%d %5d %-5d| %05d %x %X %#x %o %u %c", n, n, n, n, n, n, n, n, n, 65 + n % 26))
end
print(string.format("%s %10s %-10s| %.2s %q", "abc", "abc", "abc", "abc", "a\nb\0c\"d\\"))
print(string.format("%q", 1/3), string.format("%q", 1/0), string.format("%5.1s|", "xyz"))
print(string.format("%%"), pcall(string.format, "%d", 1.5), pcall(string.format, "%z", 1))
print(tostring(1e100), 1e-100, 123e-7, 2^24, -2^24 - 0.5, 1e14 + 0.5, 3.14159265358979)
