-- expect: EBADF descriptors resolve only while a CALL runs
-- A descriptor taken while loading would outlive every call (and could be
-- /dev/ksc itself, pinning the state): only a CALL resolves descriptors.
ksc.socket(0)
