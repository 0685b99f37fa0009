# End-to-end delivery latency (p50) against the number of extra destinations, one line per
# receiver service time and fan-out mode. Inputs (set with -e): datafile, outfile, titles (one
# word per data block, in order).
set terminal svg size 900,560 dynamic font "sans,12"
set output outfile
set title "multihook: notification in -> last destination answered (p50)"
set xlabel "extra destinations (besides the main webhook)"
set ylabel "latency (ms, log scale)"
set logscale y
set xtics 1
set key outside right
set grid
plot for [i=1:words(titles)] datafile index (i-1) using 1:2 with linespoints title word(titles, i)
