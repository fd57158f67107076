# normdyn figure 'fig7_work_precision': work-precision (double, post-ln)
# Self-contained: `gnuplot fig7_work_precision.gp` redraws fig7_work_precision.png and fig7_work_precision.svg in the current directory.
set encoding utf8
$p1s1 << EOD
25 1.0626087118370822e-05
25 1.0626087118370822e-05
25 1.0626087118370822e-05
43 9.4090327899682246e-07
49 1.0693379917882241e-07
79 9.90901914482242e-09
103 1.0545469598224194e-09
163 1.0361089682241928e-10
229 1.1177248822419275e-11
361 1.1007888224192756e-12
EOD
$p1s2 << EOD
26 1.5531862484615866e-05
26 1.5531862484615866e-05
44 3.1109664542958657e-06
44 5.6792297594586561e-07
62 3.1049679857087424e-08
80 2.5410552598224191e-09
110 2.2082405782241929e-10
158 2.2941557755104932e-11
236 2.4315177551049335e-12
368 2.5136775510493347e-13
EOD
$p1s3 << EOD
53 2.822549187517758e-08
53 2.822549187517758e-08
53 2.822549187517758e-08
53 2.822549187517758e-08
79 1.0546032019177581e-08
92 6.7607353330487857e-10
118 6.5929934177580723e-11
118 1.3536995177580725e-11
157 1.1275291775807244e-12
183 1.2313330487859267e-13
EOD
$p2s1 << EOD
2.6469e-05 1.0626087118370822e-05
2.6429000000000001e-05 1.0626087118370822e-05
2.6389000000000001e-05 1.0626087118370822e-05
4.4403000000000002e-05 9.4090327899682246e-07
5.0294000000000003e-05 1.0693379917882241e-07
8.0591000000000001e-05 9.90901914482242e-09
0.000103985 1.0545469598224194e-09
0.00016401600000000001 1.0361089682241928e-10
0.000229268 1.1177248822419275e-11
0.000362977 1.1007888224192756e-12
EOD
$p2s2 << EOD
2.6990000000000001e-05 1.5531862484615866e-05
2.6900999999999999e-05 1.5531862484615866e-05
4.4913999999999997e-05 3.1109664542958657e-06
4.4854000000000001e-05 5.6792297594586561e-07
6.2706999999999994e-05 3.1049679857087424e-08
8.0771000000000003e-05 2.5410552598224191e-09
0.00011049599999999999 2.2082405782241929e-10
0.00015833500000000001 2.2941557755104932e-11
0.00023607000000000001 2.4315177551049335e-12
0.00036784600000000001 2.5136775510493347e-13
EOD
$p2s3 << EOD
5.5733999999999999e-05 2.822549187517758e-08
5.5713e-05 2.822549187517758e-08
5.5784e-05 2.822549187517758e-08
5.5754000000000002e-05 2.822549187517758e-08
8.2093000000000002e-05 1.0546032019177581e-08
9.5477999999999996e-05 6.7607353330487857e-10
0.000121857 6.5929934177580723e-11
0.000121827 1.3536995177580725e-11
0.00016143099999999999 1.1275291775807244e-12
0.00018799999999999999 1.2313330487859267e-13
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
