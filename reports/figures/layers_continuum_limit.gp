# normdyn figure 'layers_continuum_limit': Discrete layers against the ODE: error at T = 2 vs step h
# Self-contained: `gnuplot layers_continuum_limit.gp` redraws layers_continuum_limit.png and layers_continuum_limit.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.0625 0.05516704656438879
0.03125 0.028281189267143618
0.015625 0.014314501301583023
0.0078125 0.0072005731180227323
0.00390625 0.0036110918359788685
0.001953125 0.0018082436781583816
EOD
$p1s2 << EOD
0.0625 0.030765076211410038
0.03125 0.015625781356523722
0.015625 0.0078750215120618697
0.0078125 0.0039532118593478237
0.00390625 0.0019805524690624443
0.001953125 0.0009912655407768008
EOD
$p1s3 << EOD
0.0625 0.050327113600427728
0.03125 0.025765148826533423
0.015625 0.013037660596473859
0.0078125 0.0065582009893545446
0.00390625 0.0032890188558576932
0.001953125 0.0016469985280274887
EOD
$p1s4 << EOD
0.0625 0.061883644916142518
0.03125 0.031405012866659858
0.015625 0.015819300413701658
0.0078125 0.0079389650673979129
0.00390625 0.0039768252487416555
0.001953125 0.0019902500178994743
EOD
$p1s5 << EOD
0.0625 0.0059950009113222428
0.03125 0.0029958995552527797
0.015625 0.0014974810028948299
0.0078125 0.00074861483178273003
0.00390625 0.00037427494491156481
0.001953125 0.00018712922338862454
EOD
$p1s6 << EOD
0.0625 0.020886253525722098
0.03125 0.010649296813150856
0.015625 0.0053773426342150011
0.0078125 0.0027019898457018815
0.00390625 0.0013543427277982732
0.001953125 0.00067801058955302234
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
