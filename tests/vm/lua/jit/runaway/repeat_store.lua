local t, i = {}, 1
repeat t[i % 64 + 1] = i; i = i + 1 until false
