# normdyn figure 'fig7_work_precision': work-precision (double, post-ln)
# Self-contained: `gnuplot fig7_work_precision.gp` redraws fig7_work_precision.png and fig7_work_precision.svg in the current directory.
set encoding utf8
$p1s1 << EOD
25 1.0626087118411822e-05
25 1.0626087118411822e-05
25 1.0626087118411822e-05
43 9.409032790958224e-07
49 1.0693379894982243e-07
79 9.909019015822419e-09
103 1.0545478388224192e-09
163 1.0361060882241928e-10
229 1.1177169822419275e-11
361 1.0997378224192757e-12
EOD
$p1s2 << EOD
26 1.5531862484565867e-05
26 1.5531862484565867e-05
44 3.1109664543558657e-06
44 5.6792297622586569e-07
62 3.1049679637087424e-08
80 2.5410555938224193e-09
110 2.2082421582241929e-10
158 2.2941667755104934e-11
236 2.4320677551049335e-12
368 2.5269775510493342e-13
EOD
$p1s3 << EOD
53 2.822549197617758e-08
53 2.822549197617758e-08
53 2.822549197617758e-08
53 2.822549197617758e-08
79 1.0546032116177581e-08
92 6.7607442330487861e-10
118 6.5929840177580721e-11
118 1.3537245177580724e-11
157 1.1273161775807242e-12
183 1.2346330487859268e-13
EOD
$p2s1 << EOD
5.3158999999999997e-05 1.0626087118411822e-05
5.3208999999999998e-05 1.0626087118411822e-05
5.3149000000000002e-05 1.0626087118411822e-05
9.0680000000000006e-05 9.409032790958224e-07
0.000103082 1.0693379894982243e-07
0.000165258 9.909019015822419e-09
0.00021504099999999999 1.0545478388224192e-09
0.000339513 1.0361060882241928e-10
0.000476959 1.1177169822419275e-11
0.00075208299999999996 1.0997378224192757e-12
EOD
$p2s2 << EOD
5.5142000000000002e-05 1.5531862484565867e-05
5.5203e-05 1.5531862484565867e-05
9.2453000000000004e-05 3.1109664543558657e-06
9.2492999999999997e-05 5.6792297622586569e-07
0.000130013 3.1049679637087424e-08
0.000167572 2.5410555938224193e-09
0.000229478 2.2082421582241929e-10
0.000329053 2.2941667755104934e-11
0.00049169600000000002 2.4320677551049335e-12
0.00076631900000000001 2.5269775510493342e-13
EOD
$p2s3 << EOD
0.0001127 2.822549197617758e-08
0.00011277000000000001 2.822549197617758e-08
0.00011277099999999999 2.822549197617758e-08
0.000112731 2.822549197617758e-08
0.000167443 1.0546032116177581e-08
0.000194613 6.7607442330487861e-10
0.00024964600000000002 6.5929840177580721e-11
0.00024931399999999999 1.3537245177580724e-11
0.00033103700000000001 1.1273161775807242e-12
0.000385318 1.2346330487859268e-13
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
