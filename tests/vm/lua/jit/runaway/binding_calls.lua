local n = 0
while true do n = n + ksc.time() % 3 end
