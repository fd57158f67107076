# normdyn figure 'fig7_work_precision': work-precision (double, post-ln)
# Self-contained: `gnuplot fig7_work_precision.gp` redraws fig7_work_precision.png and fig7_work_precision.svg in the current directory.
set encoding utf8
$p1s1 << EOD
25 1.0626087118425822e-05
25 1.0626087118425822e-05
25 1.0626087118425822e-05
43 9.4090327917782239e-07
49 1.0693379894982243e-07
79 9.9090189778224199e-09
103 1.0545472468224192e-09
163 1.0361108282241928e-10
229 1.1176468822419276e-11
361 1.1002478224192757e-12
EOD
$p1s2 << EOD
26 1.5531862484725865e-05
26 1.5531862484725865e-05
44 3.1109664541858657e-06
44 5.6792297605586565e-07
62 3.1049679747087424e-08
80 2.5410553148224194e-09
110 2.2082436682241928e-10
158 2.2941327755104935e-11
236 2.4319577551049334e-12
368 2.5192775510493347e-13
EOD
$p1s3 << EOD
53 2.8225491979177582e-08
53 2.8225491979177582e-08
53 2.8225491979177582e-08
53 2.8225491979177582e-08
79 1.0546032076177581e-08
92 6.760760933048786e-10
118 6.5929891177580731e-11
118 1.3537241177580725e-11
157 1.1270681775807243e-12
183 1.2301330487859267e-13
EOD
$p2s1 << EOD
1.5023e-05 1.0626087118425822e-05
1.5102999999999999e-05 1.0626087118425822e-05
1.5082999999999999e-05 1.0626087118425822e-05
2.5418e-05 9.4090327917782239e-07
2.8602000000000002e-05 1.0693379894982243e-07
4.5377999999999998e-05 9.9090189778224199e-09
5.8797e-05 1.0545472468224192e-09
9.2127999999999996e-05 1.0361108282241928e-10
0.00013072499999999999 1.1176468822419276e-11
0.00020338299999999999 1.1002478224192757e-12
EOD
$p2s2 << EOD
1.5262999999999999e-05 1.5531862484725865e-05
1.5291999999999999e-05 1.5531862484725865e-05
2.5398e-05 3.1109664541858657e-06
2.5437999999999999e-05 5.6792297605586565e-07
3.5373000000000002e-05 3.1049679747087424e-08
4.5436999999999999e-05 2.5410553148224194e-09
6.1941999999999997e-05 2.2082436682241928e-10
8.8721999999999995e-05 2.2941327755104935e-11
0.00013199699999999999 2.4319577551049334e-12
0.000204935 2.5192775510493347e-13
EOD
$p2s3 << EOD
3.2317999999999998e-05 2.8225491979177582e-08
3.2598000000000002e-05 2.8225491979177582e-08
3.2737999999999997e-05 2.8225491979177582e-08
3.2629000000000002e-05 2.8225491979177582e-08
4.7531000000000003e-05 1.0546032076177581e-08
5.5102000000000002e-05 6.760760933048786e-10
7.0474000000000003e-05 6.5929891177580731e-11
7.0745000000000001e-05 1.3537241177580725e-11
9.3529000000000005e-05 1.1270681775807243e-12
0.00010840099999999999 1.2301330487859267e-13
EOD
set terminal pngcairo size 1280,560 font 'DejaVu Sans,11' noenhanced
set output 'fig7_work_precision.png'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set multiplot layout 1,2 title 'work-precision (double, post-ln)' font ',13'
set title 'error against right-hand-side evaluations'
set xlabel 'RHS evaluations'
set ylabel 'max-norm error at t_end'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 title 'cash-karp54', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 title 'dopri5', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 title 'rkf78'
set title 'error against wall time'
set xlabel 'wall time (s)'
set ylabel 'max-norm error at t_end'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p2s1 with linespoints pt 7 ps 0.6 lw 1.5 title 'cash-karp54', \
     $p2s2 with linespoints pt 7 ps 0.6 lw 1.5 title 'dopri5', \
     $p2s3 with linespoints pt 7 ps 0.6 lw 1.5 title 'rkf78'
unset multiplot
set output
set terminal svg size 1280,560 font 'DejaVu Sans,11' noenhanced background rgb 'white'
set output 'fig7_work_precision.svg'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set multiplot layout 1,2 title 'work-precision (double, post-ln)' font ',13'
set title 'error against right-hand-side evaluations'
set xlabel 'RHS evaluations'
set ylabel 'max-norm error at t_end'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 title 'cash-karp54', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 title 'dopri5', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 title 'rkf78'
set title 'error against wall time'
set xlabel 'wall time (s)'
set ylabel 'max-norm error at t_end'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p2s1 with linespoints pt 7 ps 0.6 lw 1.5 title 'cash-karp54', \
     $p2s2 with linespoints pt 7 ps 0.6 lw 1.5 title 'dopri5', \
     $p2s3 with linespoints pt 7 ps 0.6 lw 1.5 title 'rkf78'
unset multiplot
set output
