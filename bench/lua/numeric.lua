-- Numeric loop: floating-point arithmetic and integer-valued counters.
function run()
	local s, x = 0, 0.5
	for i = 1, 300000 do
		x = x * 1.000001 + (i % 7) * 0.25
		s = s + x / (i + 1)
	end
	return math.floor(s)
end
