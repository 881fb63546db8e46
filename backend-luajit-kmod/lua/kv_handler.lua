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

local now = ksc.time

-- The only request answered here, after its 2-byte request id: the rest of
-- memcached's frame header (seq 0, total 1, reserved 0) and "get <key>\r\n".
local function request(key)
	return "\0\0\0\1\0\0get " .. key .. "\r\n"
end

-- Indexed by that request text: one string a key, made by ksc_kv_set.
local answers = {}	-- request -> answer
local deadlines = {}	-- request -> ksc.time() it expires at (keys that expire)

-- req: the payload view (ksc.handle's "view"). The request text after the
-- id is looked up as it is: a GET of a key that has an answer is a string
-- that exists already (no garbage), anything else (another command, a
-- frame of several datagrams, several keys, a miss) finds nothing and
-- goes to the socket. The answer repeats the request id (the number 2:
-- the request's first 2 bytes, copied by the module).
function ksc_kv_answer(req)
	local text = req:sub(3)
	local answer = answers[text]
	if answer == nil then
		return nil
	end
	local deadline = deadlines[text]
	if deadline ~= nil and now() >= deadline then
		return nil
	end
	return 2, answer
end

-- A miss makes garbage (its key), and a handler in softirq gets no new
-- heap area: the collector runs all the time (a new cycle as soon as one
-- ends), so that what handlers allocate comes from memory it freed rather
-- than from a heap that has to grow.
function ksc_kv_attach(fd, steps)
	collectgarbage("setpause", 100)
	ksc.handle(ksc.socket(fd), "ksc_kv_answer", steps, "view")
end

-- The old value goes first: if storing the new one fails, the key has none.
function ksc_kv_set(key, answer, deadline)
	local text = request(key)
	answers[text] = nil
	deadlines[text] = nil
	if deadline ~= 0 then
		deadlines[text] = deadline
	end
	answers[text] = answer
end

function ksc_kv_delete(key)
	local text = request(key)
	local found = answers[text] ~= nil
	answers[text] = nil
	deadlines[text] = nil
	return found
end

function ksc_kv_flush()
	answers = {}
	deadlines = {}
end
