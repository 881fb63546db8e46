-- string.gsub's result buffer (luaL_Buffer) at every size it handles: pieces
-- around 256 bytes (the kernel's buffer) and 8 KiB (user space's, and the
-- kernel's stage, patch 0056), replacements that are strings, captures,
-- function and table results, numbers, long values, and a gsub inside the
-- replacement function of another (two buffers on the stack at once).
local function sum(s)
	local h = 0
	for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) % 2147483647 end
	return #s .. ":" .. h
end
local sizes = { 0, 1, 255, 256, 257, 511, 4096, 8191, 8192, 8193, 16384, 70000 }
for _, n in ipairs(sizes) do
	local s = ("ab%d;"):rep(math.floor(n / 4) + 1):sub(1, n)
	local long = ("x"):rep(n)
	-- At most 20 long replacements: 1.4 MB at the largest.
	print(n, sum((s:gsub("b", "BB"))), sum((s:gsub("%d", "%0%0"))),
		sum((s:gsub("a", long, 20))), sum((s:gsub("a", function() return long end, 20))),
		sum((s:gsub("(a)(b)", { a = long, b = 7 }, 20))), sum((s:gsub(";", 3.5))),
		sum((s:gsub("", "-"))), select(2, s:gsub("a", "a")))
end
-- A replacement that runs gsub itself: nested buffers.
local inner = ("xyz"):rep(100)
local outer = ("abc;"):rep(3000)
print(sum((outer:gsub("b", function() return (inner:gsub("y", "YY")) end))))
-- Results from many pieces of every length.
local parts = {}
for i = 1, 400 do parts[i] = ("p"):rep(i * 37 % 9000) end
local src = ("#"):rep(400)
local i = 0
print(sum((src:gsub("#", function() i = i + 1 return parts[i] end))))
