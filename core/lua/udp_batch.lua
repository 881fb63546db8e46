-- libksc's UDP batch for the luajit backend, run in the kernel: one CALL
-- sends the replies of the last batch, then receives the next requests.
--
-- ksc_udp_send_recv(fd, nout, nin, timeout_ms, records, payload...)
--   fd          the application's UDP socket (a ksc.fd)
--   records     a user buffer of nout + nin struct ksc_udp_record (144
--               bytes each, common-uapi/ksc_udp_record.h): the replies'
--               lengths and destinations, then room for the requests'
--   payload...  nout reply buffers, then nin request buffers
-- s:send_record marks each reply record SENT as it goes out, so libksc
-- learns what was sent even if a call fails half-way. Returns the number
-- of requests received (their records filled in), 0 when none came within
-- timeout_ms (< 0: wait until the call's time limit), or -errno.
--
-- An application may replace this script (ksc_open_opts.udp_script) with
-- its own function of the same name and contract.

local RECORD = 144
local DONTWAIT = ksc.MSG_DONTWAIT
local EAGAIN = ksc.EAGAIN

function ksc_udp_send_recv(fd, nout, nin, timeout_ms, records, ...)
	local sock, bufs = ksc.socket(fd), { ... }
	for i = 1, nout do
		local n = sock:send_record(bufs[i], 0, records, (i - 1) * RECORD)
		if n < 0 then
			return n
		end
	end
	if nin == 0 then
		return 0
	end
	if timeout_ms >= 0 then
		local ready = sock:wait(timeout_ms)
		if ready ~= true then
			return ready == false and 0 or ready
		end
	end
	for i = 1, nin do
		local buf = bufs[nout + i]
		local flags = (i == 1 and timeout_ms < 0) and 0 or DONTWAIT
		local n = sock:recv_record(buf, 0, buf:len(), flags, records, (nout + i - 1) * RECORD)
		if n < 0 then
			if i > 1 then
				return i - 1
			end
			return n == -EAGAIN and 0 or n
		end
	end
	return nin
end
