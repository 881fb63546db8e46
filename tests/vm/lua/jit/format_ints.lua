-- string.format of integers with a width, precision or flags in compiled
-- loops (patch 0036: without FFI they compile as numbers): the output of
-- user-space luajit.
local formats = { "%05d", "%x", "%X", "%-6d|", "%+d", "% d", "%.3d", "%#x", "%o", "%3u" }
for _, f in ipairs(formats) do
	local parts = {}
	for i = -300, 300 do
		parts[#parts + 1] = string.format(f, i * 7919)
	end
	print(f, #table.concat(parts), parts[1], parts[301], parts[#parts])
end
local n = 0
for i = 1, 100000 do n = n + #string.format("key%05d=%d;", i, i * 3) end
print(n)
