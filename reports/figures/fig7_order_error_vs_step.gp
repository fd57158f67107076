# normdyn figure 'fig7_order_error_vs_step': 
# Self-contained: `gnuplot fig7_order_error_vs_step.gp` redraws fig7_order_error_vs_step.png and fig7_order_error_vs_step.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.03125 0.0053432231495575376
0.015625 0.0026475712973975242
0.0078125 0.0013219224961371757
0.00390625 0.00066154470121005976
0.001953125 0.00033091699858033588
0.0009765625 0.00016549450904789585
0.00048828125 8.2756237913991817e-05
EOD
$p1s2 << EOD
0.00048828125 8.2756237913991817e-06
0.03125 0.00052963992264954763
EOD
$p1s3 << EOD
0.25 2.2391464873056557e-06
0.125 1.3781627903961213e-07
0.0625 8.5454117069526453e-09
0.03125 5.3192041078916921e-10
0.015625 3.3176569387516984e-11
0.0078125 2.0713845520403971e-12
0.00390625 1.2939412587295424e-13
EOD
$p1s4 << EOD
0.00390625 1.2939412587295425e-14
0.25 2.170873198901742e-07
EOD
$p1s5 << EOD
0.125 6.3692554649198877e-10
0.0625 1.9483459302823824e-11
0.03125 6.0265666782368148e-13
0.015625 1.8739406603962524e-14
0.0078125 5.8417090640730865e-16
0.00390625 1.8233128471809551e-17
EOD
$p1s6 << EOD
0.00390625 1.8233128471809552e-18
0.125 6.1180226945459753e-11
EOD
$p1s7 << EOD
0.125 2.0477865742200401e-10
0.0625 6.3176424909621188e-12
0.03125 1.9282854048349677e-13
0.015625 5.9311366601838474e-15
0.0078125 1.8370063710551888e-16
0.00390625 5.7136491506057373e-18
EOD
$p1s8 << EOD
0.00390625 5.7136491506057381e-19
0.125 1.91718251895858e-11
EOD
$p1s9 << EOD
0.0625 5.8683380158294945e-18
0.03125 2.4817229784753134e-20
0.015625 1.0069158350649519e-22
0.0078125 4.006942813446798e-25
0.00390625 1.5796442790858462e-27
0.001953125 6.1987135821388015e-30
EOD
$p1s10 << EOD
0.001953125 6.1987135821388015e-31
0.0625 6.8155576608146335e-19
EOD
set terminal pngcairo size 960,640 font 'DejaVu Sans,11' noenhanced
set output 'fig7_order_error_vs_step.png'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'error at t_end against step (post-ln, full, breakpoints on)'
set xlabel 'step h'
set ylabel 'max-norm error'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key bottom right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'euler (observed 1.00)', \
     $p1s2 with lines dt 2 lw 1 lc rgb '#1f77b4' title 'nominal slope 1 (shifted x0.1)', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'rk4 (observed 4.01)', \
     $p1s4 with lines dt 2 lw 1 lc rgb '#d62728' title 'nominal slope 4 (shifted x0.1)', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'cash-karp54 (observed 5.01)', \
     $p1s6 with lines dt 2 lw 1 lc rgb '#2ca02c' title 'nominal slope 5 (shifted x0.1)', \
     $p1s7 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'dopri5 (observed 5.02)', \
     $p1s8 with lines dt 2 lw 1 lc rgb '#9467bd' title 'nominal slope 5 (shifted x0.1)', \
     $p1s9 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'rkf78 (observed 7.98)', \
     $p1s10 with lines dt 2 lw 1 lc rgb '#ff7f0e' title 'nominal slope 8 (shifted x0.1)'
set output
set terminal svg size 960,640 font 'DejaVu Sans,11' noenhanced background rgb 'white'
set output 'fig7_order_error_vs_step.svg'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'error at t_end against step (post-ln, full, breakpoints on)'
set xlabel 'step h'
set ylabel 'max-norm error'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key bottom right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'euler (observed 1.00)', \
     $p1s2 with lines dt 2 lw 1 lc rgb '#1f77b4' title 'nominal slope 1 (shifted x0.1)', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'rk4 (observed 4.01)', \
     $p1s4 with lines dt 2 lw 1 lc rgb '#d62728' title 'nominal slope 4 (shifted x0.1)', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'cash-karp54 (observed 5.01)', \
     $p1s6 with lines dt 2 lw 1 lc rgb '#2ca02c' title 'nominal slope 5 (shifted x0.1)', \
     $p1s7 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'dopri5 (observed 5.02)', \
     $p1s8 with lines dt 2 lw 1 lc rgb '#9467bd' title 'nominal slope 5 (shifted x0.1)', \
     $p1s9 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'rkf78 (observed 7.98)', \
     $p1s10 with lines dt 2 lw 1 lc rgb '#ff7f0e' title 'nominal slope 8 (shifted x0.1)'
set output
