# normdyn figure 'layers_continuum_limit': Discrete layers against the ODE: error at T = 2 vs step h
# Self-contained: `gnuplot layers_continuum_limit.gp` redraws layers_continuum_limit.png and layers_continuum_limit.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.0625 0.055167046564388714
0.03125 0.028281189267143538
0.015625 0.014314501301582948
0.0078125 0.0072005731180226594
0.00390625 0.003611091835978796
0.001953125 0.0018082436781583094
EOD
$p1s2 << EOD
0.0625 0.030765076211411169
0.03125 0.015625781356524853
0.015625 0.0078750215120630025
0.0078125 0.0039532118593489582
0.00390625 0.0019805524690635797
0.001953125 0.00099126554077793617
EOD
$p1s3 << EOD
0.0625 0.050327113600429386
0.03125 0.025765148826535078
0.015625 0.013037660596475516
0.0078125 0.0065582009893562021
0.00390625 0.0032890188558593507
0.001953125 0.001646998528029146
EOD
$p1s4 << EOD
0.0625 0.061883644916143087
0.03125 0.031405012866660427
0.015625 0.015819300413702227
0.0078125 0.0079389650673984801
0.00390625 0.0039768252487422228
0.001953125 0.0019902500179000415
EOD
$p1s5 << EOD
0.0625 0.0059950009113221387
0.03125 0.0029958995552526748
0.015625 0.001497481002894725
0.0078125 0.00074861483178262497
0.00390625 0.0003742749449114598
0.001953125 0.00018712922338851945
EOD
$p1s6 << EOD
0.0625 0.020886253525721619
0.03125 0.010649296813150374
0.015625 0.0053773426342145179
0.0078125 0.0027019898457013979
0.00390625 0.0013543427277977894
0.001953125 0.00067801058955253824
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
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN', \
     $p1s4 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT', \
     $p1s6 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling'
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
plot $p1s1 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN', \
     $p1s2 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN', \
     $p1s3 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN', \
     $p1s4 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN', \
     $p1s5 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT', \
     $p1s6 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling'
set output
