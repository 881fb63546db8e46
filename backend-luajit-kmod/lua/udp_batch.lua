-- libksc's UDP batch for the luajit backend, run in the kernel: one CALL
-- sends the replies of the last batch, then receives the next requests.
--
-- ksc_udp_send_recv(fd, nout, nin, timeout_ms, records, region)
--   fd          the application's UDP socket (a ksc.fd)
--   records     a user buffer of nout + nin struct ksc_udp_record (152
--               bytes each, common-uapi/ksc_udp_record.h): the replies'
--               payload offsets, lengths and destinations, then the
--               requests' payload offsets and room
--   region      a user buffer holding every payload, at the offsets the
--               records give
-- s:send_records marks each reply record SENT as it goes out, so libksc
-- learns what was sent even if a call fails half-way. Returns the number
-- of requests received (their records filled in), 0 when none came within
-- timeout_ms (< 0: wait until the call's time limit), or -errno.
--
-- An application may replace this script (ksc_open_opts.udp_script) with
-- its own function of the same name and contract.

local RECORD = 152
local DONTWAIT = ksc.MSG_DONTWAIT
local EAGAIN = ksc.EAGAIN

function ksc_udp_send_recv(fd, nout, nin, timeout_ms, records, region)
	local sock = ksc.socket(fd)
	local sent = sock:send_records(region, records, 0, nout)
	if sent < 0 then
		return sent
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
	-- The first request waits (unless the wait above did), the rest do not.
	local flags = timeout_ms < 0 and 0 or DONTWAIT
	local n = sock:recv_records(region, records, nout * RECORD, nin, flags)
	return n == -EAGAIN and 0 or n
end
