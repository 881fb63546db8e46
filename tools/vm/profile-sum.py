#!/usr/bin/env python3
"""profile-sum.py QEMU_LOG KALLSYMS [TOP]: instructions per kernel symbol.

QEMU_LOG is qemu's -d in_asm,exec,nochain output: each translation block's
instructions once (in_asm), then a "Trace" line per execution of a block
(exec; nochain makes every execution log one). A symbol's count is the sum
over its blocks of executions times instructions in the block.
"""
import bisect
import collections
import re
import sys

TRACE = re.compile(r'^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')
INSN = re.compile(r'^0x([0-9a-f]+):')


def block_counts(log):
    """(instructions per block start, executions per block start)."""
    size, runs = {}, collections.Counter()
    start = None
    with open(log, errors='replace') as f:
        for line in f:
            m = TRACE.match(line)
            if m:
                runs[int(m.group(1), 16)] += 1
                continue
            m = INSN.match(line)
            if m:
                if start is None:
                    start, n = int(m.group(1), 16), 0
                n += 1
                size[start] = max(size.get(start, 0), n)
            elif line.startswith('IN:') or not line.strip():
                start = None
    return size, runs


def symbols(path):
    syms = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3:
                syms.append((int(p[0], 16), p[2]))
    syms.sort()
    return [a for a, _ in syms], [s for _, s in syms]


def main():
    log, ksyms = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    size, runs = block_counts(log)
    addrs, names = symbols(ksyms)
    per = collections.Counter()
    for pc, n in runs.items():
        i = bisect.bisect_right(addrs, pc) - 1
        per[names[i] if i >= 0 else '?'] += size.get(pc, 1) * n
    total = sum(per.values())
    print(f"total {total} instructions in the range")
    for name, n in per.most_common(top):
        print(f"{n:12d} {100.0 * n / max(total, 1):6.2f}% {name}")


if __name__ == '__main__':
    main()
