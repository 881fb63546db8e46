-- libksc's UDP batch for the luajit backend, run in the kernel: one CALL
-- sends the replies of the last batch, then receives the next requests.
--
-- ksc_udp_send_recv(fd, nout, nin, timeout_ms, slots, payload...)
--   fd          the application's UDP socket (a ksc.fd)
--   slots       a user buffer: a 16-byte header, then nout reply slots and
--               nin request slots of 144 bytes: len, flags, addrlen (u32
--               each, then 4 bytes unused), then the address (128 bytes)
--   payload...  nout reply buffers (each exactly the bytes to send), then
--               nin request buffers (each as large as a request may be)
-- Keeps the number of replies sent in the header's first u32 as it goes,
-- so the sender learns it even if the call fails half-way. Returns the
-- number of requests received (their slots filled in), 0 when none came
-- within timeout_ms (< 0: wait until the call's time limit), or -errno.
--
-- An application may replace this script (ksc_open_opts.udp_script) with
-- its own function of the same name and contract.

local HEADER, SLOT = 16, 144
local LEN, FLAGS, ADDRLEN, ADDR = 0, 4, 8, 16
local TRUNCATED = 1
local DONTWAIT, TRUNC = ksc.MSG_DONTWAIT, ksc.MSG_TRUNC
local EAGAIN, ESHUTDOWN = ksc.EAGAIN, ksc.ESHUTDOWN
local band = bit.band

local function send_replies(sock, slots, bufs, nout)
	for i = 1, nout do
		local at = HEADER + (i - 1) * SLOT
		local addrlen = slots:read_u32(at + ADDRLEN)
		local addr = addrlen > 0 and slots:read(at + ADDR, addrlen) or nil
		local n = sock:sendmsg(bufs[i], 0, slots:read_u32(at + LEN), addr)
		if n < 0 then
			return n
		end
		slots:write_u32(0, i)
	end
	return 0
end

-- Receive into slot i (1-based among the requests); returns bytes or -errno.
local function receive_one(sock, slots, buf, at, flags)
	local n, addr, msg_flags = sock:recvmsg(buf, 0, buf:len(), flags)
	if n < 0 then
		return n
	end
	if n == 0 and #addr == 0 then
		return -ESHUTDOWN
	end
	slots:write_u32(at + LEN, n)
	slots:write_u32(at + FLAGS, band(msg_flags, TRUNC) ~= 0 and TRUNCATED or 0)
	slots:write_u32(at + ADDRLEN, #addr)
	slots:write(at + ADDR, addr)
	return n
end

function ksc_udp_send_recv(fd, nout, nin, timeout_ms, slots, ...)
	local sock, bufs = ksc.socket(fd), { ... }
	local err = send_replies(sock, slots, bufs, nout)
	if err < 0 or nin == 0 then
		return err
	end
	if timeout_ms >= 0 then
		local ready = sock:wait(timeout_ms)
		if ready ~= true then
			return ready == false and 0 or ready
		end
	end
	for i = 1, nin do
		local at = HEADER + (nout + i - 1) * SLOT
		local flags = (i == 1 and timeout_ms < 0) and 0 or DONTWAIT
		local n = receive_one(sock, slots, bufs[nout + i], at, flags)
		if n < 0 then
			if i > 1 then
				return i - 1
			end
			return n == -EAGAIN and 0 or n
		end
	end
	return nin
end
