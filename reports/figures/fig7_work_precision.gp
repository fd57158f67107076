# normdyn figure 'fig7_work_precision': work-precision (double, post-ln)
# Self-contained: `gnuplot fig7_work_precision.gp` redraws fig7_work_precision.png and fig7_work_precision.svg in the current directory.
set encoding utf8
$p1s1 << EOD
25 1.0626087118342823e-05
25 1.0626087118342823e-05
25 1.0626087118342823e-05
43 9.409032790358224e-07
49 1.0693379903382242e-07
79 9.9090192518224194e-09
103 1.0545472408224193e-09
163 1.0361093482241927e-10
229 1.1176967822419276e-11
361 1.0994568224192757e-12
EOD
$p1s2 << EOD
26 1.5531862484615866e-05
26 1.5531862484615866e-05
44 3.1109664542958657e-06
44 5.6792297605586565e-07
62 3.1049679857087424e-08
80 2.5410552648224194e-09
110 2.2082386882241929e-10
158 2.2941777755104933e-11
236 2.4312977551049333e-12
368 2.5125775510493343e-13
EOD
$p1s3 << EOD
53 2.8225492010177582e-08
53 2.8225492010177582e-08
53 2.8225492010177582e-08
53 2.8225492010177582e-08
79 1.0546032154177581e-08
92 6.7607353330487857e-10
118 6.5930135177580729e-11
118 1.3537089177580724e-11
157 1.1274491775807243e-12
183 1.2301330487859267e-13
EOD
$p2s1 << EOD
1.5608999999999999e-05 1.0626087118342823e-05
1.5599000000000001e-05 1.0626087118342823e-05
1.556e-05 1.0626087118342823e-05
2.618e-05 9.409032790358224e-07
2.9595999999999999e-05 1.0693379903382242e-07
4.7089000000000003e-05 9.9090192518224194e-09
6.0946000000000002e-05 1.0545472408224193e-09
9.5771000000000002e-05 1.0361093482241927e-10
0.00013387300000000001 1.1176967822419276e-11
0.00021023799999999999 1.0994568224192757e-12
EOD
$p2s2 << EOD
1.5529e-05 1.5531862484615866e-05
1.5529999999999999e-05 1.5531862484615866e-05
2.5669000000000001e-05 3.1109664542958657e-06
2.5687999999999999e-05 5.6792297605586565e-07
3.5757999999999999e-05 3.1049679857087424e-08
4.6347999999999997e-05 2.5410552648224194e-09
6.3440000000000002e-05 2.2082386882241929e-10
9.0462000000000002e-05 2.2941777755104933e-11
0.000135036 2.4312977551049333e-12
0.00021001799999999999 2.5125775510493343e-13
EOD
$p2s3 << EOD
3.2693e-05 2.8225492010177582e-08
3.2731000000000002e-05 2.8225492010177582e-08
3.2611000000000003e-05 2.8225492010177582e-08
3.2771999999999997e-05 2.8225492010177582e-08
4.8242000000000003e-05 1.0546032154177581e-08
5.5936000000000001e-05 6.7607353330487857e-10
7.1225999999999999e-05 6.5930135177580729e-11
7.1526000000000006e-05 1.3537089177580724e-11
9.4820000000000004e-05 1.1274491775807243e-12
0.00011045 1.2301330487859267e-13
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
