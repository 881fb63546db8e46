-- A hot loop calling a ksc binding per element: b:read_u32 over a 64 KiB
-- user buffer (kernel only). Each call is a C function to LuaJIT: the
-- trace stitches around it (docs/scripting.md, "The JIT compiler").
function run(b)
	local sum = 0
	for r = 1, 4 do
		for off = 0, b:len() - 4, 4 do sum = sum + b:read_u32(off) % 251 end
	end
	return sum
end
