-- libksc's key-value handler for the luajit backend (ksc_handler_*, ksc.h):
-- run in the kernel, in front of the application's UDP socket, for every
-- datagram that arrives. It answers a memcached UDP GET of one key that has
-- a value; anything else goes on to the socket.
--
-- ksc_kv_attach(fd, steps)          hook ksc_kv_answer to socket fd
-- ksc_kv_set(key, answer, deadline) answer: the reply after the request id
--                                   (the rest of the frame header, then
--                                   "VALUE ...END\r\n"); deadline: ksc.time()
--                                   it expires at, 0: never
-- ksc_kv_delete(key) -> found       ksc_kv_flush()
--
-- An application may replace this script (ksc_handler_opts.script) with its
-- own functions of the same names and contract.

local byte, sub = string.byte, string.sub
local now = ksc.time

local answers = {}	-- key -> answer
local deadlines = {}	-- key -> ksc.time() it expires at (keys that expire)

-- A request is the frame header (request id, seq 0, total 1, reserved 0)
-- and "get <key>\r\n"; the answer repeats the request id.
function ksc_kv_answer(req)
	local n = #req
	local s1, s2, t1, t2, r1, r2, g, e, t, sp = byte(req, 3, 12)
	if sp ~= 32 or g ~= 103 or e ~= 101 or t ~= 116 or t2 ~= 1
	   or s1 + s2 + t1 + r1 + r2 ~= 0 or byte(req, n) ~= 10 or byte(req, n - 1) ~= 13 then
		return nil
	end
	local key = sub(req, 13, n - 2)
	local answer = answers[key]
	if answer == nil then
		return nil
	end
	local deadline = deadlines[key]
	if deadline ~= nil and now() >= deadline then
		return nil
	end
	return sub(req, 1, 2), answer
end

-- The handler makes garbage (each request is a new string) and, in softirq,
-- gets no new heap area: the collector runs all the time (a new cycle as
-- soon as one ends), so that what handlers allocate comes from memory it
-- freed rather than from a heap that has to grow.
function ksc_kv_attach(fd, steps)
	collectgarbage("setpause", 100)
	ksc.handle(ksc.socket(fd), "ksc_kv_answer", steps)
end

-- The old value goes first: if storing the new one fails, the key has none.
function ksc_kv_set(key, answer, deadline)
	answers[key] = nil
	deadlines[key] = nil
	if deadline ~= 0 then
		deadlines[key] = deadline
	end
	answers[key] = answer
end

function ksc_kv_delete(key)
	local found = answers[key] ~= nil
	answers[key] = nil
	deadlines[key] = nil
	return found
end

function ksc_kv_flush()
	answers = {}
	deadlines = {}
end
