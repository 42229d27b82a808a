"""Links out of the folder: to /proc/self/mem (breach 4), to a secret file and folder outside, dangling, a loop."""

BASE = "_peek"
