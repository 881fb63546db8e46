-- A hot loop over a ksc.buf: the bytes of a 64 KiB user buffer summed
-- through b:read in 4 KiB pieces, then byte by byte (kernel only: user-space
-- luajit has no ksc.buf).
function run(b)
	local sum = 0
	for r = 1, 4 do
		for off = 0, b:len() - 4096, 4096 do
			local s = b:read(off, 4096)
			for i = 1, #s, 8 do sum = sum + s:byte(i) end
		end
	end
	return sum
end
