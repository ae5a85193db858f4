"""wrk's summary as "requests/s p99_ms errors" (errors: socket errors plus non-2xx answers).
Usage: wrk_summary.py WRK_OUTPUT."""
import re, sys
text = sys.argv[1]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"{rate:.0f} {ms(*p99.groups()) if p99 else float('nan'):.1f} {errors}")
