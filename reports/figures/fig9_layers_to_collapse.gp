# normdyn figure 'fig9_layers_to_collapse': Layers to collapse against beta (n = 16, d = 3, random starts)
# Self-contained: `gnuplot fig9_layers_to_collapse.gp` redraws fig9_layers_to_collapse.png and fig9_layers_to_collapse.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.5 15.848931924611136 15.848931924611136 19.952623149688794
1 15.848931924611136 15.848931924611136 25.118864315095802
2 19.952623149688794 15.848931924611136 39.81071705534972
3 39.81071705534972 19.952623149688794 199.52623149688796
4 158.48931924611136 39.81071705534972 1258.9254117941673
EOD
$p1s2 << EOD
0.5 398107.17055349721 316227.76601683797 630957.34448019334
1 630957.34448019334 398107.17055349721 5011872.3362727221
2 7943282.3472428154 1584893.1924611137 63095734448019336
3 5011872336.2727222 31622776.601683795 1.2589254117941674e+64
4 2.51188643150958e+29 501187233627272.19 1e+48
EOD
$p1s3 << EOD
0.5 398107.17055349721 251188.643150958 501187.23362727219
1 501187.23362727219 316227.76601683797 3981071.7055349723
2 3981071.7055349723 1000000 12589254117941672
3 2511886431.5095801 12589254.117941672 7.9432823472428168e+58
4 1.5848931924611134e+27 31622776601683.797 3.9810717055349726e+49
EOD
$p1s4 << EOD
0.5 398107.17055349721 316227.76601683797 630957.34448019334
1 794328.23472428159 398107.17055349721 3981071.7055349723
2 7943282.3472428154 1584893.1924611137 79432823472428160
3 5011872336.2727222 31622776.601683795 6.3095734448019348e+64
4 3.1622776601683791e+29 794328234724281.62 2.5118864315095802e+48
EOD
$p1s5 << EOD
0.5 15.848931924611136 15.848931924611136 15.848931924611136
1 15.848931924611136 15.848931924611136 15.848931924611136
2 19.952623149688794 15.848931924611136 39.81071705534972
3 39.81071705534972 19.952623149688794 199.52623149688796
4 158.48931924611136 39.81071705534972 1258.9254117941673
EOD
$p1s6 << EOD
0.5 79.432823472428154 79.432823472428154 100
1 79.432823472428154 79.432823472428154 125.89254117941672
2 100 79.432823472428154 501.18723362727218
3 398.10717055349721 100 10000
4 5011.8723362727224 398.10717055349721 398107.17055349721
EOD
set terminal pngcairo size 960,640 font 'DejaVu Sans,11' noenhanced
set output 'fig9_layers_to_collapse.png'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'Layers to collapse against beta (n = 16, d = 3, random starts)'
set xlabel 'beta'
set ylabel 'layers until one cluster (min / median / max over seeds)'
unset logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top left opaque box
set xrange [0.25:4.25]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN', \
     $p1s2 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN', \
     $p1s3 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN', \
     $p1s4 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN', \
     $p1s5 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT', \
     $p1s6 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling'
set output
set terminal svg size 960,640 font 'DejaVu Sans,11' noenhanced background rgb 'white'
set output 'fig9_layers_to_collapse.svg'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set title 'Layers to collapse against beta (n = 16, d = 3, random starts)'
set xlabel 'beta'
set ylabel 'layers until one cluster (min / median / max over seeds)'
unset logscale x
set format x '%g'
set logscale y
set format y '%g'
set key top left opaque box
set xrange [0.25:4.25]
set yrange [*:*]
set xtics autofreq
set ytics autofreq
plot $p1s1 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#1f77b4' title 'Post-LN', \
     $p1s2 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#d62728' title 'Pre-LN', \
     $p1s3 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#ff7f0e' title 'Mix-LN', \
     $p1s4 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#2ca02c' title 'Peri-LN', \
     $p1s5 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#9467bd' title 'nGPT', \
     $p1s6 using 1:2:3:4 with yerrorlines pt 7 ps 0.6 lw 1.5 lc rgb '#8c564b' title 'LN-Scaling'
set output
