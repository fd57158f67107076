# normdyn figure 'layers_continuum_limit': Discrete layers against the ODE: error at T = 2 vs step h
# Self-contained: `gnuplot layers_continuum_limit.gp` redraws layers_continuum_limit.png and layers_continuum_limit.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.0625 0.05516704656438947
0.03125 0.028281189267144301
0.015625 0.014314501301583704
0.0078125 0.007200573118023414
0.00390625 0.0036110918359795502
0.001953125 0.0018082436781590629
EOD
$p1s2 << EOD
0.0625 0.030765076211410208
0.03125 0.015625781356523892
0.015625 0.0078750215120620397
0.0078125 0.0039532118593479946
0.00390625 0.001980552469062616
0.001953125 0.00099126554077697254
EOD
$p1s3 << EOD
0.0625 0.050327113600429366
0.03125 0.025765148826535068
0.015625 0.013037660596475504
0.0078125 0.0065582009893561909
0.00390625 0.0032890188558593395
0.001953125 0.0016469985280291347
EOD
$p1s4 << EOD
0.0625 0.061883644916142462
0.03125 0.031405012866659802
0.015625 0.015819300413701606
0.0078125 0.0079389650673978591
0.00390625 0.0039768252487416018
0.001953125 0.0019902500178994201
EOD
$p1s5 << EOD
0.0625 0.0059950009113223235
0.03125 0.0029958995552528608
0.015625 0.0014974810028949115
0.0078125 0.00074861483178281156
0.00390625 0.00037427494491164634
0.001953125 0.00018712922338870615
EOD
$p1s6 << EOD
0.0625 0.020886253525722036
0.03125 0.010649296813150789
0.015625 0.0053773426342149317
0.0078125 0.0027019898457018108
0.00390625 0.0013543427277982018
0.001953125 0.00067801058955295056
EOD
set terminal pngcairo size 960,640 font 'DejaVu Sans,11' noenhanced
set output 'layers_continuum_limit.png'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'Discrete layers against the ODE: error at T = 2 vs step h'
set xlabel 'h (depth-time per layer)'
set ylabel 'max_j |x_j(T/h layers) - x_j(T)|'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key bottom right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN: order 0.987', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN: order 0.992', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN: order 0.988', \
     $p1s4 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN: order 0.992', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT: order 1', \
     $p1s6 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling: order 0.99'
set output
set terminal svg size 960,640 font 'DejaVu Sans,11' noenhanced background rgb 'white'
set output 'layers_continuum_limit.svg'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'Discrete layers against the ODE: error at T = 2 vs step h'
set xlabel 'h (depth-time per layer)'
set ylabel 'max_j |x_j(T/h layers) - x_j(T)|'
set logscale x
set format x '%g'
set logscale y
set format y '%g'
set key bottom right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN: order 0.987', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN: order 0.992', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN: order 0.988', \
     $p1s4 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN: order 0.992', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT: order 1', \
     $p1s6 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling: order 0.99'
set output
