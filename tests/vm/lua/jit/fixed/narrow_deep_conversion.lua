-- Narrowing a long chain of additions to integers (patch 0043): the
-- recorder's conversion stack filled up and it wrote past its end. The
-- loop shape is the one that reached it; every loop and exit is hot at once.
jit.opt.start("hotloop=1", "hotexit=1")
local tonumber = tonumber
local function num(v) return tonumber(v) or 1 end
local function add(a, b) return num(a) + num(b) end
local c0, c1, c2 = 0, 0, 0
local x = add(add(nil, "n"), "n")
for _ = 0, 0, 0 do
	if c0 > 5 then break end
	c0 = c0 + 1
	for _ = num(false), 1, num(x) do
		if c1 > 5 then break end
		c1 = c1 + 1
		repeat
			if c2 > 5 then break end
			c2 = c2 + 1
			x = x + x + x
			x = add(x, nil) + x
		until nil
	end
end
print(c0, c1, c2, x)
