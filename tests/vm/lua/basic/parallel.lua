function spin(n)
	local s = 0
	for i = 1, n do s = s + i % 7 end
	return s
end
