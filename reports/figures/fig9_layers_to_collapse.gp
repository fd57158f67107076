# normdyn figure 'fig9_layers_to_collapse': Layers to collapse against beta (n = 16, d = 3, random starts)
# Self-contained: `gnuplot fig9_layers_to_collapse.gp` redraws fig9_layers_to_collapse.png and fig9_layers_to_collapse.svg in the current directory.
set encoding utf8
$p1s1 << EOD
0.5 15.848931924611136 15.848931924611136 17.782794100389236
1 15.848931924611136 15.848931924611136 22.387211385683404
2 17.782794100389236 15.848931924611136 39.810717055349734
3 35.481338923357555 19.952623149688797 199.52623149688802
4 141.25375446227554 35.481338923357555 1258.9254117941668
EOD
$p1s2 << EOD
0.5 398107.17055349716 316227.7660168382 562341.32519034913
1 630957.34448019299 398107.17055349716 4466835.9215096328
2 7079457.8438413814 1584893.1924611125 56234132519035104
3 5011872336.2727213 28183829.312644534 1.2589254117941835e+64
4 2.5118864315095529e+29 446683592150964.06 8.9125093813374258e+47
EOD
$p1s3 << EOD
0.5 398107.17055349716 223872.11385683404 501187.2336272726
1 501187.2336272726 281838.29312644521 3548133.892335753
2 3981071.705534976 891250.93813374557 11220184543019668
3 2238721138.5683384 11220184.543019636 7.9432823472428614e+58
4 1.4125375446227494e+27 31622776601683.758 3.9810717055350095e+49
EOD
$p1s4 << EOD
0.5 398107.17055349716 316227.7660168382 562341.32519034913
1 707945.78438413737 398107.17055349716 3981071.705534976
2 7079457.8438413814 1584893.1924611125 79432823472428304
3 5011872336.2727213 28183829.312644534 5.623413251903529e+64
4 2.8183829312644219e+29 707945784384138.12 2.5118864315095611e+48
EOD
$p1s5 << EOD
0.5 14.125375446227544 14.125375446227544 14.125375446227544
1 14.125375446227544 14.125375446227544 15.848931924611136
2 17.782794100389236 15.848931924611136 39.810717055349734
3 35.481338923357555 17.782794100389236 199.52623149688802
4 141.25375446227554 35.481338923357555 1258.9254117941668
EOD
$p1s6 << EOD
0.5 70.794578438413794 70.794578438413794 100
1 70.794578438413794 70.794578438413794 125.89254117941677
2 89.125093813374633 79.432823472428197 446.68359215096291
3 354.81338923357566 100 8912.5093813374679
4 5011.8723362727242 354.81338923357566 354813.38923357555
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
