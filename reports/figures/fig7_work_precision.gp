# normdyn figure 'fig7_work_precision': work-precision (double, post-ln)
# Self-contained: `gnuplot fig7_work_precision.gp` redraws fig7_work_precision.png and fig7_work_precision.svg in the current directory.
set encoding utf8
$p1s1 << EOD
25 1.0626087118370822e-05
25 1.0626087118370822e-05
25 1.0626087118370822e-05
43 9.4090327911182243e-07
49 1.0693379909582242e-07
79 9.9090189418224195e-09
103 1.0545472748224192e-09
163 1.0361071682241927e-10
229 1.1176938822419276e-11
361 1.1006798224192757e-12
EOD
$p1s2 << EOD
26 1.5531862484675866e-05
26 1.5531862484675866e-05
44 3.1109664544158657e-06
44 5.6792297633586562e-07
62 3.1049679637087424e-08
80 2.5410554228224194e-09
110 2.2082396582241928e-10
158 2.2941777755104933e-11
236 2.4316277551049336e-12
368 2.5269775510493342e-13
EOD
$p1s3 << EOD
53 2.8225492114177581e-08
53 2.8225492114177581e-08
53 2.8225492114177581e-08
53 2.8225492114177581e-08
79 1.0546032295177581e-08
92 6.7607364330487855e-10
118 6.5930064177580721e-11
118 1.3536971177580724e-11
157 1.1273451775807244e-12
183 1.2346330487859268e-13
EOD
$p2s1 << EOD
2.4185e-05 1.0626087118370822e-05
2.4165e-05 1.0626087118370822e-05
2.4134999999999998e-05 1.0626087118370822e-05
4.0706e-05 9.4090327911182243e-07
4.6125999999999998e-05 1.0693379909582242e-07
7.3035999999999997e-05 9.9090189418224195e-09
9.4606999999999997e-05 1.0545472748224192e-09
0.00014963899999999999 1.0361071682241927e-10
0.000210132 1.1176938822419276e-11
0.00032764099999999999 1.1006798224192757e-12
EOD
$p2s2 << EOD
2.4847000000000001e-05 1.5531862484675866e-05
2.4807000000000002e-05 1.5531862484675866e-05
4.1356999999999997e-05 3.1109664544158657e-06
4.1377e-05 5.6792297633586562e-07
5.7887999999999999e-05 3.1049679637087424e-08
7.4289000000000007e-05 2.5410554228224194e-09
0.000101759 2.2082396582241928e-10
0.00014587199999999999 2.2941777755104933e-11
0.00021622300000000001 2.4316277551049336e-12
0.00033703800000000001 2.5269775510493342e-13
EOD
$p2s3 << EOD
5.1266e-05 2.8225492114177581e-08
5.1065e-05 2.8225492114177581e-08
5.1195e-05 2.8225492114177581e-08
5.1054999999999998e-05 2.8225492114177581e-08
7.5621e-05 1.0546032295177581e-08
8.7593e-05 6.7607364330487855e-10
0.000112149 6.5930064177580721e-11
0.000112049 1.3536971177580724e-11
0.00014782599999999999 1.1273451775807244e-12
0.00017263200000000001 1.2346330487859268e-13
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
