-- String-heavy: formatting, concatenation, patterns.
function run()
	local parts = {}
	for i = 1, 5000 do
		parts[#parts + 1] = string.format("key%05d=%d;", i, i * 3)
	end
	local s = table.concat(parts)
	local n = 0
	for k, v in s:gmatch("key(%d+)=(%d+);") do n = n + #k + tonumber(v) % 10 end
	return n + #s:gsub("key", "K"):upper()
end
