#!/usr/bin/env python3
"""profile-sum.py QEMU_LOG KALLSYMS [TOP]: instructions per kernel symbol.

QEMU_LOG is qemu's -d in_asm,exec,nochain output (a file or a fifo): each
translation block's instructions once (in_asm), then a "Trace" line per
execution of a block (exec; nochain makes every execution log one). A
symbol's count is the sum over its blocks of executions times instructions
in the block. The log is read once, as it comes, and never kept.
"""
import bisect
import collections
import sys


def block_counts(log):
    """(instructions per block start, executions per block start), as hex text."""
    size, runs = {}, collections.Counter()
    start, n = None, 0
    with open(log, errors='replace') as f:
        for line in f:
            if line.startswith('Trace '):
                # Trace N: 0xHOST [CS_BASE/PC/FLAGS...]
                runs[line.split('/', 2)[1]] += 1
            elif line.startswith('0x'):
                if start is None:
                    start, n = line[2:line.index(':')].lstrip('0'), 0
                n += 1
                if n > size.get(start, 0):
                    size[start] = n
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
        pc = pc.lstrip('0')
        i = bisect.bisect_right(addrs, int(pc, 16)) - 1
        per[names[i] if i >= 0 else '?'] += size.get(pc, 1) * n
    total = sum(per.values())
    print(f"total {total} instructions in the range")
    for name, n in per.most_common(top):
        print(f"{n:12d} {100.0 * n / max(total, 1):6.2f}% {name}")


if __name__ == '__main__':
    main()
