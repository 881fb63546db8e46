-- string.sub and string.byte compiled with indices at and past the edges of
-- int32 (2^31 and 2^32 convert to INT_MIN): the recorder's range decisions
-- must not overflow. A constant string once folded into a read of 2 GiB.
local s = "aaaaaaaaaaaaaaaaaaaab"
local edges = { 0, 1, 2, 20, 21, 22, -1, -21, -22, 65535, -65535,
	2^31 - 1, 2^31, -2^31, -2^31 + 1, 2^32, -2^32, 2^53 }

local function sub_const(i, j)
	local r
	for _ = 1, 200 do r = string.sub("aaaaaaaaaaaaaaaaaaaab", i, j) end
	return r
end

local function sub_var(str, i, j)
	local r
	for _ = 1, 200 do r = str:sub(i, j) end
	return r
end

local function byte_var(str, i, j)
	local a, b
	for _ = 1, 200 do a, b = str:byte(i, j) end
	return a, b
end

for _, i in ipairs(edges) do
	for _, j in ipairs(edges) do
		local ok1, r1 = pcall(sub_const, i, j)
		local ok2, r2 = pcall(sub_var, s, i, j)
		local ok3, a, b = pcall(byte_var, s, i, j)
		print(i, j, ok1, ok1 and #r1 or r1, ok2, ok2 and #r2 or r2, ok3, a, b)
	end
end

-- One trace, then indices that cross the edges: every guard must exit.
local function sweep(str, list)
	local n = 0
	for k = 1, #list do
		n = n + #str:sub(list[k], list[k] + 3) + (str:byte(list[k]) or 0)
	end
	return n
end
local list = {}
for k = 1, 300 do list[k] = k % 25 end
for _, e in ipairs(edges) do list[#list + 1] = e end
print("sweep", sweep(s, list))
