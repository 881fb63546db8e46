-- expect: ok
-- Finalizers at close that spend their time in C functions, a few
-- bytecodes per call: the budget timer bounds them as it bounds a CALL.
local fmt, rawequal = string.format, rawequal
keep = {}
for i = 1, 3 do
	local p = newproxy(true)
	getmetatable(p).__gc = function()
		while true do fmt("%.14g %.99f", 1.2345678901234e300, 1e308) end
	end
	keep[#keep + 1] = p
end
local q = newproxy(true)
getmetatable(q).__gc = function() while true do rawequal(1, 2) end end
keep[#keep + 1] = q
