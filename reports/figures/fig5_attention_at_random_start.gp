# normdyn figure 'fig5_attention_at_random_start': Theorem 4.2: |A_j(0)| at a random start, beta = 1
# Self-contained: `gnuplot fig5_attention_at_random_start.gp` redraws fig5_attention_at_random_start.png and fig5_attention_at_random_start.svg in the current directory.
set encoding utf8
$p1heat << EOD
0 0 0.56408316163280026
1 0 0.62073827065459575
2 0 0.65129422627516798
3 0 0.64560925132334412
4 0 0.61809662348098504
5 0 0.66881242959044629
6 0 0.64342020304548142
7 0 0.64924606640689253
0 1 0.42765815888666031
1 1 0.47962953334658032
2 1 0.54800382850710627
3 1 0.56700010384352828
4 1 0.5969210885277777
5 1 0.56284755121161623
6 1 0.58485861545660167
7 1 0.55820211941718001
0 2 0.36903560771880389
1 2 0.46966610412031934
2 2 0.43660127048610686
3 2 0.42163981842794895
4 2 0.52440077847358346
5 2 0.49380425997039118
6 2 0.51248036275854236
7 2 0.5098895256010223
0 3 0.30204560955204846
1 3 0.31670266200997294
2 3 0.36981230375603863
3 3 0.40862796241183413
4 3 0.43494632059876431
5 3 0.43278569622598961
6 3 0.46603184928251079
7 3 0.47080128708952429
0 4 0.24145813303777611
1 4 0.26319375224325664
2 4 0.29991565815376309
3 4 0.32623498400498335
4 4 0.39183025780830666
5 4 0.40908197418625125
6 4 0.42450685651177172
7 4 0.41370630618390586
0 5 0.19517787505367343
1 5 0.21287593430591747
2 5 0.24328437920366733
3 5 0.27508132397187696
4 5 0.31811830048006956
5 5 0.36536741436237136
6 5 0.3757694019983866
7 5 0.40126209626490839
0 6 0.18144003598888106
1 6 0.18859442976198762
2 6 0.1976327092537617
3 6 0.22765612024809809
4 6 0.27642097015656913
5 6 0.31843289552352483
6 6 0.33647338691916118
7 6 0.36192013676090307
0 7 0.15077306287153461
1 7 0.16201859698611928
2 7 0.17646512668797751
3 7 0.18989860457883581
4 7 0.21694965867918542
5 7 0.26245463752967035
6 7 0.31030988986209368
7 7 0.32771703170936828
EOD
$p2heat << EOD
0 0 1.5395286709363862
1 0 1.4201528015054656
2 0 1.3000798950808603
3 0 1.1845741101499709
4 0 1.0822240787473856
5 0 1.1424803807026032
6 0 1.0852688227586011
7 0 1.088088921929663
0 1 1.5057729843592706
1 1 1.3959255604862066
2 1 1.3352289195560527
3 1 1.2244707477588339
4 1 1.2015122108028515
5 1 1.0906625394301259
6 1 1.1111284849802554
7 1 1.0498473855807242
0 2 1.6174097475322766
1 2 1.7302240116465815
2 2 1.3041812054562734
3 2 1.0707256268779828
4 2 1.2033878461836116
5 2 1.0706864566727115
6 2 1.078289278815892
7 2 1.0563697587529306
0 3 1.5807298111703123
1 3 1.4567829968362533
2 3 1.3661234445969879
3 3 1.2314947704155879
4 3 1.1401576570059702
5 3 1.0450938696304986
6 3 1.0762467025321247
7 3 1.0622230963701489
0 4 1.4518551629890479
1 4 1.470237619902022
2 4 1.3754413466256266
3 4 1.1840418454170434
4 4 1.185063361732974
5 4 1.1029393625358328
6 4 1.0726750483438534
7 4 1.0099255481178313
0 5 1.3104444485493969
1 5 1.3912714482560102
2 5 1.3723750610974625
3 5 1.2197825481100388
4 5 1.1278827876366031
5 5 1.1097004833001365
6 5 1.0411281377200823
7 5 1.0572732327656316
0 6 1.3359530776303219
1 6 1.3912812651557633
2 6 1.3365780406613148
3 6 1.2417886618755714
4 6 1.1707229151443999
5 6 1.1056568240581133
6 6 1.0296136342217121
7 6 1.0307438670871276
0 7 1.2045081148984758
1 7 1.3138061252790005
2 7 1.3799036523416548
3 7 1.2640874768749895
4 7 1.116182384309703
5 7 1.0619932366476141
6 7 1.0618364127136417
7 7 1.0143542804347736
EOD
set terminal pngcairo size 1700,700 font 'DejaVu Sans,11' noenhanced
set output 'fig5_attention_at_random_start.png'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set multiplot layout 1,2 title 'Theorem 4.2: |A_j(0)| at a random start, beta = 1' font ',13'
set title 'ratio to the bound of Theorem 4.2'
set xlabel 'd (dimension)'
set ylabel 'n (tokens)'
unset logscale x
set format x '%g'
unset logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics ('8' 0, '16' 1, '32' 2, '64' 3, '128' 4, '256' 5, '512' 6, '1024' 7)
set ytics ('16' 0, '32' 1, '64' 2, '128' 3, '256' 4, '512' 5, '1024' 6, '2048' 7)
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
set cblabel 'max_j |A_j(0)| / (sqrt(log n/n) + log n/d)'
set palette rgb 33,13,10
plot $p1heat using 1:2:3 with image notitle, \
     $p1heat using 1:2:(sprintf('%.2f', $3)) with labels font ',9' notitle
set title 'ratio to the heuristic size sqrt(1/n + 1/d^2)'
set xlabel 'd (dimension)'
set ylabel 'n (tokens)'
unset logscale x
set format x '%g'
unset logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics ('8' 0, '16' 1, '32' 2, '64' 3, '128' 4, '256' 5, '512' 6, '1024' 7)
set ytics ('16' 0, '32' 1, '64' 2, '128' 3, '256' 4, '512' 5, '1024' 6, '2048' 7)
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
set cblabel 'max_j |A_j(0)| / sqrt(1/n + 1/d^2)'
set palette rgb 33,13,10
plot $p2heat using 1:2:3 with image notitle, \
     $p2heat using 1:2:(sprintf('%.2f', $3)) with labels font ',9' notitle
unset multiplot
set output
set terminal svg size 1700,700 font 'DejaVu Sans,11' noenhanced background rgb 'white'
set output 'fig5_attention_at_random_start.svg'
set termoption noenhanced
set grid lc rgb '#dddddd'
set border lw 1
set multiplot layout 1,2 title 'Theorem 4.2: |A_j(0)| at a random start, beta = 1' font ',13'
set title 'ratio to the bound of Theorem 4.2'
set xlabel 'd (dimension)'
set ylabel 'n (tokens)'
unset logscale x
set format x '%g'
unset logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics ('8' 0, '16' 1, '32' 2, '64' 3, '128' 4, '256' 5, '512' 6, '1024' 7)
set ytics ('16' 0, '32' 1, '64' 2, '128' 3, '256' 4, '512' 5, '1024' 6, '2048' 7)
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
set cblabel 'max_j |A_j(0)| / (sqrt(log n/n) + log n/d)'
set palette rgb 33,13,10
plot $p1heat using 1:2:3 with image notitle, \
     $p1heat using 1:2:(sprintf('%.2f', $3)) with labels font ',9' notitle
set title 'ratio to the heuristic size sqrt(1/n + 1/d^2)'
set xlabel 'd (dimension)'
set ylabel 'n (tokens)'
unset logscale x
set format x '%g'
unset logscale y
set format y '%g'
set key top right opaque box
set xrange [*:*]
set yrange [*:*]
set xtics ('8' 0, '16' 1, '32' 2, '64' 3, '128' 4, '256' 5, '512' 6, '1024' 7)
set ytics ('16' 0, '32' 1, '64' 2, '128' 3, '256' 4, '512' 5, '1024' 6, '2048' 7)
set xrange [-0.5:7.5]
set yrange [-0.5:7.5]
set cblabel 'max_j |A_j(0)| / sqrt(1/n + 1/d^2)'
set palette rgb 33,13,10
plot $p2heat using 1:2:3 with image notitle, \
     $p2heat using 1:2:(sprintf('%.2f', $3)) with labels font ',9' notitle
unset multiplot
set output
