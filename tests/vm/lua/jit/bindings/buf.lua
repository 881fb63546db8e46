-- The bindings the JIT records (patch 0034) in hot loops over a user buffer:
-- compiled, their results are the interpreter's, and so are their errors.

-- f(...) run with the JIT off: what the interpreter gives.
local function interpreted(f, ...)
	jit.off()
	jit.flush()
	local r = f(...)
	jit.on()
	return r
end

local function sum_reads(b, rounds)
	local s = 0
	for r = 1, rounds do
		for off = 0, b:len() - 4 do
			s = s + b:read_u8(off) + b:read_i8(off) + b:read_u16(off)
				+ b:read_i16(off) + b:read_u32(off) + b:read_i32(off)
		end
	end
	return s
end

-- Every read width and sign, compiled and interpreted.
function reads(b)
	local compiled = sum_reads(b, 20)
	local want = interpreted(sum_reads, b, 20)
	if compiled ~= want then
		error(string.format("compiled %.17g, interpreted %.17g", compiled, want))
	end
	return compiled
end

-- Offsets that are not integers: the trace exits, the interpreter truncates.
function fractional(b)
	local s = 0
	for i = 1, 1000 do s = s + b:read_u8(i % 4 + 0.5) end
	return s
end

-- Reads and writes of the same bytes: each byte goes up by exactly rounds.
function increment(b, rounds)
	for r = 1, rounds do
		for off = 0, b:len() - 1 do b:write_u8(off, b:read_u8(off) + 1) end
	end
end

-- Values modulo 2^width, as the interpreter writes them.
function writes(b)
	for i = 1, 1000 do
		b:write_u32(0, 0x1234567890 + i)
		b:write_u16(4, -i)
		b:write_u8(6, 300 + i)
	end
end

-- ksc.time() compiled: monotonic.
function clock()
	local last, back = ksc.time(), 0
	for i = 1, 100000 do
		local t = ksc.time()
		if t < last then back = back + 1 end
		last = t
	end
	return back
end

-- A compiled loop that runs past the end: the interpreter's ERANGE.
function overrun(b)
	local s = 0
	for off = 0, 2 * b:len() do s = s + b:read_u8(off) end
	return s
end

-- The same compiled loop in a later call, on a buffer kept from this one:
-- the interpreter's EINVAL.
local function sum_after(b, n)
	local s = 0
	for i = 1, n do
		if i > 100 then s = s + b:read_u8(0) end
	end
	return s
end

function keep(b)
	kept = b
	return sum_after(b, 1000)
end

function use_kept()
	return sum_after(kept, 1000)
end
