-- The ksc library: time, errno constants, user buffers, descriptors.
function clock()
	local a = ksc.time()
	for _ = 1, 1000 do end
	local b = ksc.time()
	return a > 0 and b > a
end

function errnos()
	return ksc.EAGAIN, ksc.EINTR, ksc.EFAULT, ksc.EINVAL, ksc.ETIME, ksc.ENOMEM
end

function describe(b)
	return b:len(), tostring(b)
end

function fill(b)
	b:write(0, "hello")
	b:write_u8(5, 0x20)
	b:write_u16(6, 0x1234)
	b:write_u32(8, 0xdeadbeef)
	b:write_u64(12, -2)
end

function decode(b)
	return b:read(0, 5), b:read_u8(5), b:read_u16(6), b:read_u32(8), b:read_i32(8),
		b:read_i8(12), b:read_i64(12), b:read_u8(19)
end

function read_at(b, off, n)
	return b:read(off, n)
end

function write_at(b, off, s)
	b:write(off, s)
end

function keep(b)
	kept = b
end

function use_kept()
	return kept:len()
end

function fdinfo(f)
	kept_fd = f
	return f:fileno(), tostring(f)
end

function use_kept_fd()
	return kept_fd:fileno()
end
