<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="59" />
        <source>Pipes (LineStringZ, z = centreline; not needed with MAP)</source>
        <translation>管线（三维线，z 为管线中心高程；给定 MAP 时不需要）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="66" />
        <source>Pipe id field</source>
        <translation>管线编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="66" />
        <source>Rule class field</source>
        <translation>规则类别字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="67" />
        <source>Outer diameter field (mm)</source>
        <translation>外径字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="68" />
        <source>Box width field (mm)</source>
        <translation>方沟宽度字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="69" />
        <source>Box height field (mm)</source>
        <translation>方沟高度字段（mm）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_pg.py" line="34" />
        <source>MAP is given: its pipe_segment layer is checked and INPUT is ignored.</source>
        <translation>已给定 MAP：检查其 pipe_segment 图层，忽略 INPUT。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="113" />
        <source>Give the pipes: an INPUT line layer or an integrated MAP.</source>
        <translation>请给定管线：INPUT 线图层或管线综合图 MAP。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="115" />
        <source>INPUT must be a line layer.</source>
        <translation>INPUT 必须是线图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="118" />
        <source>INPUT has no coordinate reference system.</source>
        <translation>INPUT 没有坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="121" />
        <source>INPUT has no z values (a 2D layer): every vertical, cover and excavation figure is UNKNOWN.</source>
        <translation>INPUT 没有 z 值（二维图层）：所有垂直净距、覆土和开挖结果均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="128" />
        <source>The field {name} ({param}) is not in INPUT.</source>
        <translation>INPUT 中没有字段 {name}（{param}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="200" />
        <source>The ground DEM is in {a} but the pipes are in {b}: reproject one of them first.</source>
        <translation>地面 DEM 的坐标系为 {a}，而管线为 {b}：请先将其中之一重投影。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="212" />
        <source>{name} must be a polygon layer.</source>
        <translation>{name} 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="303" />
        <source>Could not create the output layer.</source>
        <translation>无法创建输出图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="167" />
        <source>{n} features of INPUT have no geometry and are not checked.</source>
        <translation>INPUT 中有 {n} 个要素没有几何图形，未作检查。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="170" />
        <source>INPUT has no line features: nothing was checked (no finding does not mean PASS).</source>
        <translation>INPUT 中没有线要素：未作任何检查（没有问题不等于 PASS）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="173" />
        <source>{n} features have a diameter of 0 or less in {field}: their size is taken as unknown (e.g. {ids}).</source>
        <translation>有 {n} 个要素在 {field} 中的管径小于或等于 0：其尺寸按未知处理（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="228" />
        <source>The feature {fid} of {name} cannot be transformed to the pipes' CRS {crs}.</source>
        <translation>{name} 的要素 {fid} 无法转换到管线的坐标参考系 {crs}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_pg.py" line="48" />
        <source>The PostGIS map {map} records no valid CRS.</source>
        <translation>PostGIS 综合图 {map} 没有记录有效的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_pg.py" line="54" />
        <source>Checking the PostGIS map {map} in the database.</source>
        <translation>正在数据库中检查 PostGIS 综合图 {map}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_pg.py" line="62" />
        <source>Read {read:.1f} s, pair search in the database {search:.1f} s, figures {judge:.1f} s.</source>
        <translation>读取 {read:.1f} s，数据库内管线对搜索 {search:.1f} s，数值计算 {judge:.1f} s。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="60" />
        <source>Snapping tolerance: segment ends and points closer than this are one node (m)</source>
        <translation>捕捉容差：距离小于此值的管线段端点和管线点视为同一节点（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="64" />
        <source>Search distance from the point to the nearest pipe (m)</source>
        <translation>由该点搜索最近管线的距离（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="77" />
        <source>Give the integrated map (MAP).</source>
        <translation>请给定管线综合图（MAP）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="118" />
        <source>Networks read: {what}.</source>
        <translation>已读取管网：{what}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="118" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="164" />
        <source>a segment</source>
        <translation>管线段要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="186" />
        <source>a node</source>
        <translation>节点要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/check_common.py" line="63" />
        <source>Integrated map (GeoPackage or PostGIS map; its pipe_segment layer replaces INPUT)</source>
        <translation>管线综合图（GeoPackage 或 PostGIS 综合图；以其 pipe_segment 图层代替 INPUT）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="54" />
        <source>Integrated map (GeoPackage or PostGIS map)</source>
        <translation>管线综合图（GeoPackage 或 PostGIS 综合图）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/network_common.py" line="116" />
        <source>Reading the networks of the PostGIS map {map}.</source>
        <translation>正在读取 PostGIS 综合图 {map} 的管网。</translation>
    </message>
</context>
<context>
    <name>Build3DAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="61" />
        <source>Build true-size 3D pipes</source>
        <translation>生成真实尺寸三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="64" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="67" />
        <source>Facets around a circular pipe</source>
        <translation>圆管断面的边数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="70" />
        <source>3D pipes</source>
        <translation>三维管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="72" />
        <source>3D wells</source>
        <translation>三维窨井</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="75" />
        <source>Pipes built</source>
        <translation>已生成管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="76" />
        <source>Wells built</source>
        <translation>已生成窨井数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="110" />
        <source>Segment {id} has no usable geometry; no 3D pipe built.</source>
        <translation>管线段 {id} 没有可用的几何图形，未生成三维管线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/build_3d.py" line="142" />
        <source>Built {pipes} 3D pipes and {wells} wells.</source>
        <translation>已生成 {pipes} 条三维管线和 {wells} 个窨井。</translation>
    </message>
</context>
<context>
    <name>ChecksReportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="95" />
        <source>Checks report (HTML, PDF)</source>
        <translation>检查报告（HTML、PDF）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="98" />
        <source>Clash findings (output of clashcheck)</source>
        <translation>碰撞检查结果（clashcheck 的输出）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="98" />
        <source>Cover findings (output of covercheck)</source>
        <translation>覆土检查结果（covercheck 的输出）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="98" />
        <source>Excavation findings (output of excavationcheck)</source>
        <translation>开挖检查结果（excavationcheck 的输出）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="106" />
        <source>Pipes for the map backdrop (when there is no MAP)</source>
        <translation>位置图底图所用管线（未给定 MAP 时）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="109" />
        <source>Maps of the worst findings</source>
        <translation>最严重问题位置图幅数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="112" />
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="113" />
        <source>Report (HTML)</source>
        <translation>报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="113" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="115" />
        <source>Report (PDF)</source>
        <translation>报告（PDF）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="115" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="118" />
        <source>Findings (not PASS)</source>
        <translation>问题数（结论不为 PASS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="130" />
        <source>{param}: the layer {value} cannot be read.</source>
        <translation>{param}：无法读取图层 {value}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="135" />
        <source>{param}: the layer {name} has no field {field}; give the output layer of pipemap:{alg}.</source>
        <translation>{param}：图层 {name} 中没有字段 {field}；请给定 pipemap:{alg} 的输出图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="140" />
        <source>Give at least one findings layer: CLASH, COVER or EXCAVATION (outputs of the check algorithms).</source>
        <translation>请至少给定一个检查结果图层：CLASH、COVER 或 EXCAVATION（检查算法的输出）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="160" />
        <source>MAP is given: its pipes are the backdrop and PIPES is ignored.</source>
        <translation>已给定 MAP：以其管线作为底图，忽略 PIPES。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="162" />
        <source>The map {path} does not exist.</source>
        <translation>综合图 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="166" />
        <source>{path} is not an integrated map (no pipe_segment layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="178" />
        <source>PIPES: the layer cannot be read.</source>
        <translation>PIPES：无法读取该图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="180" />
        <source>PIPES must be a line layer.</source>
        <translation>PIPES 必须是线图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="210" />
        <source>Give the report file (OUTPUT_HTML).</source>
        <translation>请给定报告文件（OUTPUT_HTML）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="215" />
        <source>{path} is a folder: give a file name.</source>
        <translation>{path} 是文件夹：请给定文件名。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="217" />
        <source>OUTPUT_HTML and OUTPUT_PDF must be different files.</source>
        <translation>OUTPUT_HTML 与 OUTPUT_PDF 必须是不同的文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="223" />
        <source>Cannot create the folder for {path}: {error}</source>
        <translation>无法为 {path} 创建文件夹：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="247" />
        <source>No finding has a location: the report has no maps.</source>
        <translation>没有任何问题带有位置：报告中不含位置图。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="283" />
        <source>Could not write the PDF {path}: {error}</source>
        <translation>无法写入 PDF {path}：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="299" />
        <source>{n} findings reported ({counts}); {maps} maps.</source>
        <translation>共报告 {n} 个问题（{counts}）；位置图 {maps} 幅。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="103" />
        <source>Integrated map (GeoPackage or PostGIS map; its pipes are the map backdrop)</source>
        <translation>管线综合图（GeoPackage 或 PostGIS 综合图；以其管线作为位置图底图）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/checks_report.py" line="198" />
        <source>The PostGIS map {map} has no readable pipe_segment layer.</source>
        <translation>PostGIS 综合图 {map} 中没有可读取的 pipe_segment 图层。</translation>
    </message>
</context>
<context>
    <name>ChecksSection</name>
    <message>
        <location filename="../plugin/section_checks.py" line="85" />
        <source>Clearances</source>
        <translation>净距</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="85" />
        <source>Cover</source>
        <translation>覆土</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="85" />
        <source>Excavation</source>
        <translation>开挖</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="101" />
        <source>CSV (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="98" />
        <source>class_a,class_b,min_horizontal_m,min_vertical_m; empty: GB 50289-2016</source>
        <translation>class_a,class_b,min_horizontal_m,min_vertical_m；留空：采用 GB 50289-2016</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="99" />
        <source>Clearance rules</source>
        <translation>净距规则</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="103" />
        <source>class,min_cover_non_motor_m,min_cover_motor_m; empty: GB 50289-2016</source>
        <translation>class,min_cover_non_motor_m,min_cover_motor_m；留空：采用 GB 50289-2016</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="104" />
        <source>Cover rules</source>
        <translation>覆土规则</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="109" />
        <source>Carriageways</source>
        <translation>机动车道</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="114" />
        <source>Excavations</source>
        <translation>开挖范围</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="119" />
        <source>Depth field</source>
        <translation>深度字段</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="125" />
        <source>Depth below ground of excavations without a depth field, and of excavations drawn on the map</source>
        <translation>无深度字段的开挖范围以及在地图上绘制的开挖范围所采用的开挖深度（地面以下）</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="127" />
        <source>Excavation depth</source>
        <translation>开挖深度</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="133" />
        <source>Safety distance</source>
        <translation>安全距离</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="137" />
        <source>Run checks</source>
        <translation>运行检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="139" />
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="140" />
        <source>A readable report (HTML) of the last findings</source>
        <translation>最近一次检查结果的可读报告（HTML）</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="147" />
        <source>Findings</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="153" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="155" />
        <source>every verdict</source>
        <translation>全部结论</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="161" />
        <source>Zoom to</source>
        <translation>缩放至</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Pipes</source>
        <translation>管线</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Value (m)</source>
        <translation>数值（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Required (m)</source>
        <translation>要求值（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Margin (m)</source>
        <translation>余量（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="166" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="199" />
        <source>The cover check needs the ground DEM (Map section).</source>
        <translation>覆土检查需要地面 DEM（见“综合图”栏）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="210" />
        <source>Choose an excavation layer, or draw one with the Excavation tool.</source>
        <translation>请选择开挖范围图层，或用“开挖”工具绘制。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="389" />
        <source>The excavation check measures depths from the ground DEM: choose it in the Map section.</source>
        <translation>开挖检查以地面 DEM 计算深度：请在“综合图”栏中选择地面 DEM。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="238" />
        <source>Choose at least one check.</source>
        <translation>请至少选择一项检查。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="255" />
        <source>Clearance check</source>
        <translation>净距检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="255" />
        <source>Cover check</source>
        <translation>覆土检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="256" />
        <source>Excavation check</source>
        <translation>开挖检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="266" />
        <source>{check}: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN.</source>
        <translation>{check}：{fail} 项不合格（FAIL），{unc} 项待定（UNCERTAIN），{unk} 项未知（UNKNOWN）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="292" />
        <source>cover</source>
        <translation>覆土</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="297" />
        <source>excavation {id}</source>
        <translation>开挖 {id}</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="397" />
        <source>drawn {n}</source>
        <translation>手绘 {n}</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_checks.py" line="415" />
        <source>Excavation {id} reaches %n pipe(s).</source>
        <translation>
            <numerusform>开挖范围 {id} 触及 %n 条管线。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="417" />
        <source>Notify: {owners}.</source>
        <translation>请通知：{owners}。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="420" />
        <source>Excavation {id}: no pipe within the safety distance.</source>
        <translation>开挖范围 {id}：安全距离内没有管线。</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="443" />
        <source>The report</source>
        <translation>生成报告</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="447" />
        <source>Report written: {path}</source>
        <translation>已写入报告：{path}</translation>
    </message>
    <message>
        <location filename="../plugin/section_checks.py" line="450" />
        <source>Checks report</source>
        <translation>检查报告</translation>
    </message>
</context>
<context>
    <name>ClashCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="36" />
        <source>Clearance (clash) check</source>
        <translation>净距（碰撞）检查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="41" />
        <source>Clearance rules (CSV: class_a,class_b,min_horizontal_m,min_vertical_m)</source>
        <translation>净距规则（CSV：class_a,class_b,min_horizontal_m,min_vertical_m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="44" />
        <source>Strict rules (unverified rule cells give errors)</source>
        <translation>严格规则（未核实的规则值也判为错误）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="46" />
        <source>Clash findings</source>
        <translation>碰撞检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="48" />
        <source>Failing figures</source>
        <translation>不合格项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="48" />
        <source>Uncertain figures</source>
        <translation>待定项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="48" />
        <source>Unknown figures</source>
        <translation>未知项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="48" />
        <source>Pairs without a rule</source>
        <translation>无规则的管线对数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/clash_check.py" line="73" />
        <source>{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN, {nr} without a rule.</source>
        <translation>已检查 {n} 条管线：{fail} 项不合格（FAIL），{unc} 项待定（UNCERTAIN），{unk} 项未知（UNKNOWN），{nr} 项无规则。</translation>
    </message>
</context>
<context>
    <name>CoverCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="47" />
        <source>Cover depth check</source>
        <translation>覆土深度检查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="51" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="52" />
        <source>Ground point cloud (LAS/LAZ, ground class 2)</source>
        <translation>地面点云（LAS/LAZ，地面类 2）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="55" />
        <source>Carriageways (motor-lane cover inside)</source>
        <translation>机动车道（其范围内按机动车道覆土要求）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="58" />
        <source>Cover rules (CSV: class,min_cover_non_motor_m,min_cover_motor_m)</source>
        <translation>覆土规则（CSV：class,min_cover_non_motor_m,min_cover_motor_m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="61" />
        <source>Sampling step (m)</source>
        <translation>采样步长（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="64" />
        <source>Strict rules (unverified rule cells give errors)</source>
        <translation>严格规则（未核实的规则值也判为错误）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="66" />
        <source>Cover findings</source>
        <translation>覆土检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="68" />
        <source>Failing pipes</source>
        <translation>不合格管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="68" />
        <source>Uncertain pipes</source>
        <translation>待定管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="68" />
        <source>Unknown pipes</source>
        <translation>未知管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="68" />
        <source>Pipes without a rule</source>
        <translation>无规则的管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="106" />
        <source>Give the ground surface: a DEM (GROUND) or a LAS/LAZ point cloud (GROUND_POINTS).</source>
        <translation>请给定地面：DEM（GROUND）或 LAS/LAZ 点云（GROUND_POINTS）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="128" />
        <source>{n} pipes checked: {fail} FAIL, {unc} UNCERTAIN, {unk} UNKNOWN.</source>
        <translation>已检查 {n} 条管线：{fail} 条不合格（FAIL），{unc} 条待定（UNCERTAIN），{unk} 条未知（UNKNOWN）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="89" />
        <source>Both GROUND and GROUND_POINTS are given: the DEM (GROUND) is used and the point cloud is ignored.</source>
        <translation>同时给定了 GROUND 和 GROUND_POINTS：采用 DEM（GROUND），忽略点云。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="100" />
        <source>The point cloud {name} declares no coordinate reference system: it is taken to be in the pipes' CRS ({crs}).</source>
        <translation>点云 {name} 未声明坐标参考系：按管线的坐标参考系（{crs}）处理。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/cover_check.py" line="103" />
        <source>Ground: a TIN of {n} ground-class points from {name}.</source>
        <translation>地面：由 {name} 中 {n} 个地面类点构建的不规则三角网（TIN）。</translation>
    </message>
</context>
<context>
    <name>CreateMapAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="43" />
        <source>Create integrated map</source>
        <translation>创建管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="46" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="52" />
        <source>Coordinate reference system</source>
        <translation>坐标参考系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="59" />
        <source>Height datum</source>
        <translation>高程基准</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="64" />
        <source>Schema version</source>
        <translation>数据模型版本</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="69" />
        <source>No output file was given for the integrated map.</source>
        <translation>未指定管线综合图的输出文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="72" />
        <source>The coordinate reference system {crs} is not valid.</source>
        <translation>坐标参考系 {crs} 无效。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="83" />
        <source>Created {path} ({crs}, schema version {version}).</source>
        <translation>已创建 {path}（{crs}，数据模型版本 {version}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="111" />
        <source>The map's CRS is geographic; clearance and cover checks need a projected CRS in metres.</source>
        <translation>该图的坐标参考系为地理坐标系；净距和覆土检查需要以米为单位的投影坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="46" />
        <source>Integrated map (GeoPackage, or PostGIS: service=NAME schema=NAME)</source>
        <translation>管线综合图（GeoPackage，或 PostGIS：service=NAME schema=NAME）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="55" />
        <source>Overwrite an existing file (or PostGIS map)</source>
        <translation>覆盖已有文件（或 PostGIS 综合图）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="106" />
        <source>Created the PostGIS map {map} ({crs}, SRID {srid}, schema version {version}).</source>
        <translation>已创建 PostGIS 综合图 {map}（{crs}，SRID {srid}，数据模型版本 {version}）。</translation>
    </message>
</context>
<context>
    <name>ExcavationCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="81" />
        <source>Excavation check (pipes affected)</source>
        <translation>开挖影响检查（受影响管线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="85" />
        <source>Planned excavations</source>
        <translation>拟开挖范围</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="87" />
        <source>Excavation id field</source>
        <translation>开挖编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="87" />
        <source>Bottom elevation field (m)</source>
        <translation>坑底高程字段（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="87" />
        <source>Depth below ground field (m, needs GROUND)</source>
        <translation>开挖深度字段（m，需要 GROUND）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="94" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="95" />
        <source>Safety distance (m)</source>
        <translation>安全距离（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="98" />
        <source>Affected pipes</source>
        <translation>受影响管线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="103" />
        <source>Pipes reached</source>
        <translation>被触及的管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="103" />
        <source>Uncertain pipes</source>
        <translation>待定管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="103" />
        <source>Unknown pipes</source>
        <translation>未知管线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="123" />
        <source>Give the planned excavations (EXCAVATIONS).</source>
        <translation>请给定拟开挖范围（EXCAVATIONS）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="129" />
        <source>The field {name} ({param}) is not in EXCAVATIONS.</source>
        <translation>EXCAVATIONS 中没有字段 {name}（{param}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="132" />
        <source>Give the excavation bottom: BOTTOM_FIELD (elevation) or DEPTH_FIELD (depth below ground, with GROUND).</source>
        <translation>请给定坑底：BOTTOM_FIELD（高程）或 DEPTH_FIELD（开挖深度，需同时给定 GROUND）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="154" />
        <source>{n} excavations checked: {rows} pipes listed ({fail} reached).</source>
        <translation>已检查 {n} 处开挖：列出 {rows} 条管线（其中 {fail} 条被触及）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="100" />
        <source>Notices per excavation (folder of HTML and PDF files)</source>
        <translation>各开挖范围的通知单（存放 HTML 和 PDF 文件的文件夹）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="111" />
        <source>REPORT_FOLDER {path} is a file: give a folder.</source>
        <translation>REPORT_FOLDER {path} 是文件：请给定文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="162" />
        <source>{n} excavation notices (HTML and PDF) in {folder}.</source>
        <translation>已在 {folder} 中生成 {n} 份开挖通知单（HTML 和 PDF）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="201" />
        <source>The notices' maps show no pipes: {error}</source>
        <translation>通知单的位置图中不显示管线：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/excavation_check.py" line="212" />
        <source>Could not write the notices to {folder}: {error}</source>
        <translation>无法将通知单写入 {folder}：{error}</translation>
    </message>
</context>
<context>
    <name>ExportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/export.py" line="122" />
        <source>{n} picks have no position and were left out.</source>
        <translation>{n} 个拾取点没有位置，已略去。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="167" />
        <source>Export a share package</source>
        <translation>导出共享数据包</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="177" />
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="187" />
        <source>Sharing profile</source>
        <translation>共享配置</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="189" />
        <source>Custom sharing profile (JSON file, replaces PROFILE)</source>
        <translation>自定义共享配置（JSON 文件，代替 PROFILE）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="189" />
        <source>Sharing profile (*.json)</source>
        <translation>共享配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="194" />
        <source>Only these categories (empty: all the profile allows)</source>
        <translation>仅导出这些管线类别（留空：共享配置允许的全部类别）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="198" />
        <source>Only within this extent</source>
        <translation>仅导出此范围内的要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="200" />
        <source>GPR picks (from Pick GPR anomalies)</source>
        <translation>探地雷达拾取点（来自“拾取探地雷达异常”）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="203" />
        <source>Text encoding of Shapefile and result tables</source>
        <translation>Shapefile 和成果表的文本编码</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="207" />
        <source>Result table format</source>
        <translation>成果表格式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="211" />
        <source>Replace an existing package</source>
        <translation>替换已有数据包</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="213" />
        <source>Share package (folder; a name ending in .zip writes a zip file)</source>
        <translation>共享数据包（文件夹；名称以 .zip 结尾时写为 zip 文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="215" />
        <source>Manifest (or the zip holding it)</source>
        <translation>清单（或包含清单的 zip 文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="216" />
        <source>Files in the package</source>
        <translation>数据包中的文件数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="217" />
        <source>Features exported</source>
        <translation>已导出要素数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="262" />
        <source>Sharing profile: {name} ({file}).</source>
        <translation>共享配置：{name}（{file}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="269" />
        <source>Not exported: {n} — {reason}</source>
        <translation>未导出：{n} — {reason}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="279" />
        <source>{n} warnings are recorded in the manifest.</source>
        <translation>清单中记录了 {n} 条警告。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="280" />
        <source>Share package written: {path}</source>
        <translation>已写出共享数据包：{path}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="144" />
        <source>Reading the PostGIS map {map}.</source>
        <translation>正在读取 PostGIS 综合图 {map}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export.py" line="174" />
        <source>Integrated map (GeoPackage or PostGIS map)</source>
        <translation>管线综合图（GeoPackage 或 PostGIS 综合图）</translation>
    </message>
</context>
<context>
    <name>GprImportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="137" />
        <source>Import GPR survey</source>
        <translation>导入探地雷达测线数据</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="141" />
        <source>Processing: a preset (none, default, strong) or a step list</source>
        <translation>处理流程：预设（none、default、strong）或处理步骤列表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="143" />
        <source>Velocity for the depth axis (m/ns, 0 = no depth axis)</source>
        <translation>深度轴所用速度（m/ns，0 = 不显示深度轴）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="146" />
        <source>Integrated map to record the survey in</source>
        <translation>记录本次探测的管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="149" />
        <source>Survey line</source>
        <translation>测线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="151" />
        <source>Radargram image (PNG)</source>
        <translation>雷达剖面图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="151" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="153" />
        <source>Processed data (SEG-Y)</source>
        <translation>处理后数据（SEG-Y）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="153" />
        <source>SEG-Y (*.sgy *.segy)</source>
        <translation>SEG-Y 文件 (*.sgy *.segy)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="156" />
        <source>Traces</source>
        <translation>道数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="157" />
        <source>Channels</source>
        <translation>通道数</translation>
    </message>
</context>
<context>
    <name>GprParametersMixin</name>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="65" />
        <source>GPR file (DZT, DT1/HD, RD3/RD7/RAD, SEG-Y)</source>
        <translation>探地雷达文件（DZT、DT1/HD、RD3/RD7/RAD、SEG-Y）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="67" />
        <source>Survey line (when the file has no GPS)</source>
        <translation>测线（文件无 GPS 定位时使用）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="70" />
        <source>Distance of the first trace along the line (m)</source>
        <translation>第一道沿测线的距离（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="73" />
        <source>Trace spacing (m) — same as TRACE_SPACING_M</source>
        <translation>道间距（m）— 与 TRACE_SPACING_M 相同</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="78" />
        <source>Sample interval override (ns, 0 = from the file)</source>
        <translation>指定采样间隔（ns，0 = 取自文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="81" />
        <source>Trace spacing override (m, 0 = from the file)</source>
        <translation>指定道间距（m，0 = 取自文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="84" />
        <source>Output CRS (default: the map's, the line's, or the GPS's UTM zone)</source>
        <translation>输出坐标参考系（默认：综合图的、测线的，或 GPS 定位所在的 UTM 投影带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="93" />
        <source>SPACING and TRACE_SPACING_M are the same parameter; they differ.</source>
        <translation>SPACING 与 TRACE_SPACING_M 是同一参数，但两者取值不同。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_import.py" line="108" />
        <source>The survey line layer has no line.</source>
        <translation>测线图层中没有线要素。</translation>
    </message>
</context>
<context>
    <name>GprPickAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="56" />
        <source>Pick GPR anomalies (hyperbolas)</source>
        <translation>拾取探地雷达异常（双曲线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="60" />
        <source>Velocity (m/ns, 0 = estimate from the hyperbolas)</source>
        <translation>速度（m/ns，0 = 由双曲线估算）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="63" />
        <source>Minimum confidence</source>
        <translation>最低置信度</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="66" />
        <source>Ground DEM (for the picks' elevations)</source>
        <translation>地面 DEM（用于计算拾取点高程）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="75" />
        <source>Picks</source>
        <translation>拾取点</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="70" />
        <source>Radargram with picks (PNG)</source>
        <translation>标注拾取点的雷达剖面图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="70" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="72" />
        <source>Picks as LAS/LAZ</source>
        <translation>拾取点（LAS/LAZ）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="72" />
        <source>LAS/LAZ (*.las *.laz)</source>
        <translation>LAS/LAZ 点云 (*.las *.laz)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_pick.py" line="115" />
        <source>{survey}: {n} picks.</source>
        <translation>{survey}：{n} 个拾取点。</translation>
    </message>
</context>
<context>
    <name>GprReconcileAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="53" />
        <source>Reconcile GPR picks with the map</source>
        <translation>核对探地雷达拾取点与综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="56" />
        <source>Picks (from gprpick)</source>
        <translation>拾取点（由 gprpick 生成）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="58" />
        <source>Survey line (from gprimport, or drawn)</source>
        <translation>测线（由 gprimport 生成或手工绘制）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="60" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="63" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="64" />
        <source>Discrepancies</source>
        <translation>不符项</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="66" />
        <source>Reconciliation report (HTML)</source>
        <translation>核对报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="66" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Confirmed</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Depth mismatches</source>
        <translation>埋深不符</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Not detected</source>
        <translation>未探测到</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="68" />
        <source>Unmapped anomalies</source>
        <translation>未入图异常</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="88" />
        <source>The survey line layer has no georeferenced line.</source>
        <translation>测线图层中没有已地理配准的测线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="109" />
        <source>The DEM must be in the map's CRS.</source>
        <translation>DEM 必须采用综合图的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/gpr_reconcile.py" line="126" />
        <source>{crossings} mapped pipes crossed; {confirmed} confirmed, {mismatch} depth mismatches, {missing} not detected, {unmapped} unmapped anomalies.</source>
        <translation>测线穿越综合图中 {crossings} 条管线：{confirmed} 条已核实，{mismatch} 条埋深不符，{missing} 条未探测到；另有 {unmapped} 个未入图异常。</translation>
    </message>
</context>
<context>
    <name>GprSection</name>
    <message>
        <location filename="../plugin/section_gpr.py" line="71" />
        <source>GPR files ({patterns});;All files (*)</source>
        <translation>探地雷达文件 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="73" />
        <source>Radar file</source>
        <translation>雷达文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="78" />
        <source>A drawn survey line, for files without GPS (its first line is used)</source>
        <translation>手工绘制的测线，用于没有 GPS 定位的文件（使用其中第一条线）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="79" />
        <source>Survey line</source>
        <translation>测线</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="84" />
        <source>from the file</source>
        <translation>取自文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="86" />
        <source>Trace spacing</source>
        <translation>道间距</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="88" />
        <source>none (raw)</source>
        <translation>不处理（原始数据）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="88" />
        <source>default (no migration)</source>
        <translation>默认（不作偏移）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="88" />
        <source>strong</source>
        <translation>强化</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="92" />
        <source>Processing</source>
        <translation>处理流程</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="95" />
        <source>Open radargram</source>
        <translation>打开雷达剖面</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="98" />
        <source>Position on map</source>
        <translation>在地图上定位</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="100" />
        <source>Click on the map near the survey line to move the radargram's cursor</source>
        <translation>在地图上测线附近单击，以移动雷达剖面上的光标</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="111" />
        <source>Picks</source>
        <translation>拾取点</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="114" />
        <source>Minimum confidence</source>
        <translation>最低置信度</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="298" />
        <source>Find picks</source>
        <translation>自动拾取</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="145" />
        <source>Pick</source>
        <translation>拾取点</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="145" />
        <source>Distance (m)</source>
        <translation>距离（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="145" />
        <source>Depth (m)</source>
        <translation>深度（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="145" />
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="145" />
        <source>Decision</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="166" />
        <source>Category</source>
        <translation>管线类别</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="160" />
        <source>Depth of the top</source>
        <translation>管顶深度</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="162" />
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="168" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="171" />
        <source>Accept</source>
        <translation>采纳</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="172" />
        <source>Reject</source>
        <translation>剔除</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="191" />
        <source>PipeMap radargram</source>
        <translation>PipeMap 雷达剖面</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="218" />
        <source>Choose a radar file.</source>
        <translation>请选择雷达文件。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="227" />
        <source>Open radargram {name}</source>
        <translation>打开雷达剖面 {name}</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="232" />
        <source>Opening the radar file</source>
        <translation>打开雷达文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="238" />
        <source>GPR line {name}</source>
        <translation>探地雷达测线 {name}</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="246" />
        <source>&lt;b&gt;{name}&lt;/b&gt;: {traces} traces × {samples} samples, {dt} ns</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：{traces} 道 × {samples} 个采样点，采样间隔 {dt} ns</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="257" />
        <source>Move the mouse along the radargram: the red cross follows on the survey line.</source>
        <translation>沿雷达剖面移动鼠标：红色十字会在测线上同步移动。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="261" />
        <source>The survey is not georeferenced (no GPS, no survey line): it is not shown on the map.</source>
        <translation>本次探测数据未经地理配准（无 GPS 定位，也未给定测线）：不在地图上显示。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="285" />
        <source>Click closer to the survey line.</source>
        <translation>请在更靠近测线的位置单击。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="290" />
        <source>Open a radar file first.</source>
        <translation>请先打开雷达文件。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="303" />
        <source>Picking</source>
        <translation>拾取</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_gpr.py" line="328" />
        <source>%n pick(s) found.</source>
        <translation>
            <numerusform>找到 %n 个拾取点。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="371" />
        <source>to review</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="371" />
        <source>accepted</source>
        <translation>已采纳</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="372" />
        <source>rejected</source>
        <translation>已剔除</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="449" />
        <source>The decision could not be stored: {error}</source>
        <translation>无法保存判定结果：{error}</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="455" />
        <source>Pick {label} {decision}; stored in {map}.</source>
        <translation>拾取点 {label} {decision}，已保存到 {map}。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="127" />
        <source>Compare with the map</source>
        <translation>与综合图比对</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="129" />
        <source>Confirmed pipes, depth mismatches, mapped pipes not detected and anomalies not on the map (CJJ 61 limits)</source>
        <translation>已确认管线、埋深不符、图上有但未探测到的管线以及图上没有的异常（按 CJJ 61 限差）</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="132" />
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="333" />
        <source>Open a georeferenced radar file and find its picks first.</source>
        <translation>请先打开已地理配准的雷达文件并完成拾取。</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="343" />
        <source>Compare the picks with the map</source>
        <translation>将拾取点与综合图比对</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="349" />
        <source>The comparison with the map</source>
        <translation>与综合图的比对</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="354" />
        <source>GPR discrepancies</source>
        <translation>探地雷达不符项</translation>
    </message>
    <message>
        <location filename="../plugin/section_gpr.py" line="361" />
        <source>{confirmed} confirmed, {mismatch} depth mismatches, {missing} mapped pipes not detected, {unmapped} anomalies not on the map.</source>
        <translation>已确认 {confirmed} 处，埋深不符 {mismatch} 处，图上有但未探测到的管线 {missing} 条，图上没有的异常 {unmapped} 处。</translation>
    </message>
</context>
<context>
    <name>ImageDialog</name>
    <message>
        <location filename="../plugin/results.py" line="32" />
        <source>Open the file</source>
        <translation>打开文件</translation>
    </message>
</context>
<context>
    <name>ImportLayersAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="48" />
        <source>Import GIS layers (GeoPackage, Shapefile, DXF, OSM...)</source>
        <translation>导入 GIS 图层（GeoPackage、Shapefile、DXF、OSM 等）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="51" />
        <source>Vector file or folder (any OGR format; path|layername=NAME selects a layer)</source>
        <translation>矢量文件或文件夹（任意 OGR 格式；用 path|layername=NAME 选择图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="54" />
        <source>Layers to import, comma-separated (empty: every point and line layer)</source>
        <translation>要导入的图层，以逗号分隔（留空：全部点图层和线图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="57" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="60" />
        <source>Field mapping: default, osm, or a JSON/YAML file</source>
        <translation>字段映射：default、osm 或 JSON/YAML 文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="62" />
        <source>CRS of the layers (empty: each layer's own, else the map's)</source>
        <translation>图层的坐标参考系（留空：采用各图层自身的，若无则采用综合图的）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="64" />
        <source>One category for every feature (code or name; empty: from the fields)</source>
        <translation>统一指定全部要素的管线类别（代码或名称；留空：取自字段）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="67" />
        <source>Field holding the category (e.g. Layer for DXF)</source>
        <translation>管线类别字段（如 DXF 的 Layer）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="69" />
        <source>Field with the depth below ground (m)</source>
        <translation>埋深字段（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="71" />
        <source>Field with the elevation (m)</source>
        <translation>高程字段（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="73" />
        <source>Depths and elevations refer to</source>
        <translation>埋深和高程所指位置</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="73" />
        <source>The mapping's choice (drainage: invert, others: top)</source>
        <translation>按字段映射的设定（排水：管内底，其他：管顶）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="73" />
        <source>Pipe top</source>
        <translation>管顶</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="73" />
        <source>Pipe centre</source>
        <translation>管中心</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="73" />
        <source>Invert</source>
        <translation>管内底</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="77" />
        <source>Cover above the pipe top where no depth is known (m; needs GROUND)</source>
        <translation>无埋深数据时采用的管顶覆土深度（m；需要 GROUND）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="80" />
        <source>Ground surface DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_layers.py" line="82" />
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
</context>
<context>
    <name>ImportModelAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="119" />
        <source>Import a hydraulic model (SWMM, EPANET)</source>
        <translation>导入水力模型（SWMM、EPANET）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="122" />
        <source>Model file (SWMM or EPANET .inp)</source>
        <translation>模型文件（SWMM 或 EPANET .inp）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="122" />
        <source>Model input files (*.inp *.INP)</source>
        <translation>模型输入文件 (*.inp *.INP)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="125" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="128" />
        <source>CRS of the model (empty: the map's)</source>
        <translation>模型的坐标参考系（留空：采用综合图的）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="130" />
        <source>Coordinate scale (e.g. 0.001 for a model drawn in millimetres)</source>
        <translation>坐标比例系数（如以毫米绘制的模型取 0.001）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="133" />
        <source>Category (empty: drainage for SWMM, water supply for EPANET; or storm, sewage, combined, water, a CJJ 61 code)</source>
        <translation>管线类别（留空：SWMM 为排水，EPANET 为给水；也可填 storm、sewage、combined、water 或 CJJ 61 代码）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="136" />
        <source>EPANET node elevations are</source>
        <translation>EPANET 节点高程所指位置</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="136" />
        <source>Ground</source>
        <translation>地面</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="136" />
        <source>Pipe centre</source>
        <translation>管中心</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="136" />
        <source>Pipe top</source>
        <translation>管顶</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="139" />
        <source>Cover above the pipe top when elevations are ground (m)</source>
        <translation>高程为地面高程时的管顶覆土深度（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="142" />
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="146" />
        <source>Model format (swmm or epanet)</source>
        <translation>模型格式（swmm 或 epanet）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_model.py" line="159" />
        <source>{file}: {fmt} model, units {units}.</source>
        <translation>{file}：{fmt} 模型，单位 {units}。</translation>
    </message>
</context>
<context>
    <name>ImportSurveyAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="76" />
        <source>Import survey result tables</source>
        <translation>导入探测成果表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="79" />
        <source>Point table, or a folder of per-category tables</source>
        <translation>管线点成果表，或按管线类别分表存放的文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="82" />
        <source>Segment table (or the folder of tables)</source>
        <translation>管线段成果表（或成果表所在文件夹）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="88" />
        <source>Column profile: zh, en, or a JSON/YAML file</source>
        <translation>列名配置：zh、en 或 JSON/YAML 文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="90" />
        <source>CRS of the tables (empty: the map's, or the zone of prefixed eastings)</source>
        <translation>成果表的坐标参考系（留空：采用综合图的坐标参考系，或按东坐标的带号前缀确定投影带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>Mode</source>
        <translation>导入模式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>All or nothing</source>
        <translation>全部无误才导入</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="93" />
        <source>Import valid rows</source>
        <translation>仅导入有效行</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="95" />
        <source>Text encoding of CSV tables (empty: detect)</source>
        <translation>CSV 表格的文本编码（留空：自动检测）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="97" />
        <source>Import problems</source>
        <translation>导入问题</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="100" />
        <source>Import report (HTML)</source>
        <translation>导入报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="100" />
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Points written</source>
        <translation>已写入管线点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Segments written</source>
        <translation>已写入管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="103" />
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="107" />
        <source>Map changed</source>
        <translation>综合图已更改</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="164" />
        <source>… and {n} more problems (see the problems layer or report).</source>
        <translation>……另有 {n} 个问题（见导入问题图层或导入报告）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="167" />
        <source>Imported {p} points and {s} segments into {map}.</source>
        <translation>已将 {p} 个管线点和 {s} 条管线段导入 {map}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="170" />
        <source>{n} error(s): nothing was imported and the map was left unchanged.</source>
        <translation>{n} 个错误：未导入任何数据，综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_survey.py" line="85" />
        <source>Integrated map (GeoPackage, or PostGIS: service=NAME schema=NAME)</source>
        <translation>管线综合图（GeoPackage，或 PostGIS：service=NAME schema=NAME）</translation>
    </message>
</context>
<context>
    <name>IsolateAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="66" />
        <source>Valve isolation (burst main, gas leak)</source>
        <translation>关阀隔离（爆管、燃气泄漏）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="70" />
        <source>Failure (burst or leak) position</source>
        <translation>事故（爆管或泄漏）位置</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>Network</source>
        <translation>管网</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>auto (the nearest pressure pipe)</source>
        <translation>自动（最近的压力管线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>JS water supply</source>
        <translation>JS 给水</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>RQ gas</source>
        <translation>RQ 燃气</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>RL heat</source>
        <translation>RL 热力</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="71" />
        <source>GY industrial</source>
        <translation>GY 工业</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="75" />
        <source>Valves that fail to operate (point numbers, comma-separated)</source>
        <translation>无法操作的失效阀门（管线点号，以逗号分隔）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="78" />
        <source>Valves already closed (point numbers, comma-separated)</source>
        <translation>已关闭的阀门（管线点号，以逗号分隔）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="80" />
        <source>Customers or buildings (points or polygons)</source>
        <translation>用户或建筑物（点或面）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="83" />
        <source>A customer is served by the nearest pipe within (m)</source>
        <translation>用户由此距离内最近的管线供给（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="86" />
        <source>Gas: hazard radius around the leak (m; 0 = none)</source>
        <translation>燃气：泄漏点周围危险区半径（m；0 = 不设）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="90" />
        <source>Valves to close (in order of travel)</source>
        <translation>需关闭的阀门（按行进顺序）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="92" />
        <source>Isolated segments and segments losing supply</source>
        <translation>被隔离管线段及停供管线段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="94" />
        <source>Isolated nodes</source>
        <translation>被隔离节点</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Customers affected</source>
        <translation>受影响用户</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="99" />
        <source>Hazard zone (gas)</source>
        <translation>危险区（燃气）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="102" />
        <source>Response sheet (PDF, one page)</source>
        <translation>响应单（PDF，单页）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="102" />
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Valves to close</source>
        <translation>需关闭阀门数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Sources to shut off</source>
        <translation>需关停供应源数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Segments isolated</source>
        <translation>被隔离管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Length isolated (m)</source>
        <translation>被隔离长度（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Segments losing supply</source>
        <translation>停供管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Length losing supply (m)</source>
        <translation>停供长度（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Hydrants out of service</source>
        <translation>停用消火栓数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="105" />
        <source>Customers or buildings in the hazard zone</source>
        <translation>危险区内的用户或建筑物数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="114" />
        <source>Network isolated</source>
        <translation>隔离所在管网</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="115" />
        <source>Failed segment</source>
        <translation>事故管线段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="192" />
        <source>Failure on {seg} ({cat}): close {n} valve(s){src}; {iso} segments isolated ({m:.0f} m), {cut} more lose supply.</source>
        <translation>事故管线段 {seg}（{cat}）：关闭 {n} 个阀门{src}；隔离 {iso} 条管线段（{m:.0f} m），另有 {cut} 条停供。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="192" />
        <source>, shut {k} source(s)</source>
        <translation>，关停 {k} 个供应源</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="212" />
        <source>The customer {fid} cannot be transformed to the map's CRS.</source>
        <translation>用户 {fid} 无法转换到综合图的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="224" />
        <source>Could not create the output layer.</source>
        <translation>无法创建输出图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="231" />
        <source>a valve</source>
        <translation>阀门要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="245" />
        <source>the hazard zone</source>
        <translation>危险区</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="277" />
        <source>a customer</source>
        <translation>用户要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/isolate.py" line="179" />
        <source>The response sheet cannot draw the pipes of the map {map}.</source>
        <translation>处置单无法绘制综合图 {map} 的管线。</translation>
    </message>
</context>
<context>
    <name>MapSection</name>
    <message>
        <location filename="../plugin/section_map.py" line="71" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="72" />
        <source>Integrated map</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="74" />
        <source>Map file</source>
        <translation>综合图文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="94" />
        <source>CRS of a new map</source>
        <translation>新建综合图的坐标参考系</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="243" />
        <source>Create map</source>
        <translation>创建综合图</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="102" />
        <source>Open map</source>
        <translation>打开综合图</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="116" />
        <source>The ground surface, used by the cover and excavation checks, GPR pick elevations, sections and the 3D view</source>
        <translation>地面高程面，用于覆土检查、开挖检查、探地雷达拾取点高程、断面图和三维视图</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="118" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="120" />
        <source>Rasters (*.tif *.tiff *.asc *.img *.vrt);;All files (*)</source>
        <translation>栅格文件 (*.tif *.tiff *.asc *.img *.vrt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="122" />
        <source>…or load a DEM file</source>
        <translation>…或加载 DEM 文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="320" />
        <source>Import survey tables</source>
        <translation>导入探测成果表</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="132" />
        <source>Folder of tables</source>
        <translation>成果表文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="137" />
        <source>Tables (*.csv *.txt *.xlsx *.xls *.ods)</source>
        <translation>表格文件 (*.csv *.txt *.xlsx *.xls *.ods)</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="135" />
        <source>…or a point table</source>
        <translation>…或管线点成果表</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="138" />
        <source>…and a segment table</source>
        <translation>…及管线段成果表</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="140" />
        <source>Chinese CJJ 61 headers (X = northing)</source>
        <translation>CJJ 61 中文表头（X 为北坐标）</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="141" />
        <source>English headers (x = easting)</source>
        <translation>英文表头（x 为东坐标）</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="143" />
        <source>Columns</source>
        <translation>列名</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="145" />
        <source>All or nothing</source>
        <translation>全部无误才导入</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="146" />
        <source>Import the valid rows</source>
        <translation>仅导入有效行</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="148" />
        <source>Mode</source>
        <translation>导入模式</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="151" />
        <source>the map's CRS</source>
        <translation>综合图的坐标参考系</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="153" />
        <source>CRS of the tables</source>
        <translation>成果表的坐标参考系</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="156" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="159" />
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="171" />
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="171" />
        <source>Problem</source>
        <translation>问题类型</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="171" />
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="171" />
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="221" />
        <source>Choose where to save the new map.</source>
        <translation>请选择新综合图的保存位置。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="225" />
        <source>{name} already exists: open it, or choose another name.</source>
        <translation>{name} 已存在：请打开它，或换一个文件名。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="236" />
        <source>Creating the map</source>
        <translation>创建综合图</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="240" />
        <source>Created the integrated map {name}.</source>
        <translation>已创建管线综合图 {name}。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="251" />
        <source>Choose an existing map file to open.</source>
        <translation>请选择要打开的已有综合图文件。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="254" />
        <source>{name} is not an integrated map (no pipe_segment layer).</source>
        <translation>{name} 不是管线综合图（缺少 pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="285" />
        <source>{name} is not a raster QGIS can read.</source>
        <translation>{name} 不是 QGIS 可读取的栅格数据。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="303" />
        <source>Choose a folder of survey tables, or a point and a segment table.</source>
        <translation>请选择探测成果表文件夹，或分别选择管线点成果表和管线段成果表。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="325" />
        <source>The import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="333" />
        <source>Imported {p} points and {s} segments.</source>
        <translation>已导入 {p} 个管线点和 {s} 条管线段。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="339" />
        <source>Nothing was imported: the map is unchanged.</source>
        <translation>未导入任何数据：综合图未作改动。</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_map.py" line="341" />
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_map.py" line="341" />
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 个警告</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="356" />
        <source>, row {row}</source>
        <translation>，第 {row} 行</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="359" />
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="359" />
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="376" />
        <source>This problem has no position on the map.</source>
        <translation>该问题在地图上没有位置。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="59" />
        <source>GeoPackage file</source>
        <translation>GeoPackage 文件</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="60" />
        <source>PostGIS (service + schema)</source>
        <translation>PostGIS（服务 + 模式）</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="61" />
        <source>A map shared in PostgreSQL/PostGIS is a schema; the connection comes from a pg_service entry (or a QGIS connection string)</source>
        <translation>在 PostgreSQL/PostGIS 中共享的综合图就是一个模式；连接取自 pg_service 条目（或 QGIS 连接字符串）</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="63" />
        <source>Map kind</source>
        <translation>综合图类型</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="81" />
        <source>a pg_service name, or a connection string</source>
        <translation>pg_service 服务名或连接字符串</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="82" />
        <source>The name of a service in the pg_service file (credentials in the service, ~/.pgpass or a QGIS authentication config), or a QGIS connection string such as dbname='gis' host=db authcfg=ab12cd3</source>
        <translation>pg_service 文件中的服务名（凭据保存在服务配置、~/.pgpass 或 QGIS 认证配置中），或 QGIS 连接字符串，如 dbname='gis' host=db authcfg=ab12cd3</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="85" />
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="88" />
        <source>schema of the map</source>
        <translation>综合图所在的模式</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="89" />
        <source>Schema</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="221" />
        <source>Give the service and the schema of the new map.</source>
        <translation>请给定新综合图的服务和模式。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="264" />
        <source>Give the service and the schema of the map.</source>
        <translation>请给定综合图的服务和模式。</translation>
    </message>
    <message>
        <location filename="../plugin/section_map.py" line="273" />
        <source>{map} cannot be opened as an integrated map (no pipe_segment table, or the database refused the connection: see the PostGIS log).</source>
        <translation>无法将 {map} 作为管线综合图打开（缺少 pipe_segment 表，或数据库拒绝连接：请查看 PostGIS 日志）。</translation>
    </message>
</context>
<context>
    <name>NetworkSection</name>
    <message>
        <location filename="../plugin/section_network.py" line="204" />
        <source>Burst main or gas leak: valves to close</source>
        <translation>爆管或燃气泄漏：需关闭的阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="206" />
        <source>Use the Isolate tool and click the failure on a pipe: the valves to close are listed in order of travel and the isolated segments are drawn on the map.</source>
        <translation>使用“关阀”工具单击管线上的事故点：按行进顺序列出需关闭的阀门，并在地图上绘出被隔离的管线段。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="213" />
        <source>auto (the nearest pressure pipe)</source>
        <translation>自动（最近的压力管线）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="219" />
        <source>Network</source>
        <translation>管网</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="221" />
        <source>point numbers, e.g. JS8, JS12</source>
        <translation>管线点号，如 JS8, JS12</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="222" />
        <source>Valves that fail to operate: the isolation goes past them to the next ring of valves</source>
        <translation>无法操作的失效阀门：隔离范围将越过这些阀门，扩展到外一圈阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="225" />
        <source>Valves that fail</source>
        <translation>失效阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>Point</source>
        <translation>管线点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>Road</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>X</source>
        <translation>X</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>Y</source>
        <translation>Y</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>Leg (m)</source>
        <translation>本段行程（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="232" />
        <source>From failure (m)</source>
        <translation>距事故点累计（m）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="244" />
        <source>Valve failed</source>
        <translation>阀门失效</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="245" />
        <source>The selected valve does not close: take the next ring of valves</source>
        <translation>所选阀门无法关闭：改用外一圈阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="247" />
        <source>Reset failed</source>
        <translation>重置失效阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="248" />
        <source>Forget the failed valves and isolate again</source>
        <translation>清除失效阀门记录并重新隔离</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="256" />
        <source>Response sheet (PDF)</source>
        <translation>响应单（PDF）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="258" />
        <source>A one-page sheet for the crew: the valves to close in order of travel and a map (pipemap:isolate)</source>
        <translation>供抢修人员使用的单页响应单：按行进顺序列出需关闭的阀门并附地图（pipemap:isolate）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="261" />
        <source>Zoom to</source>
        <translation>缩放至</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="262" />
        <source>Show the whole isolation: the failure, the isolated segments and every valve to operate</source>
        <translation>显示完整的隔离范围：事故点、被隔离管线段及所有需操作的阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="265" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="266" />
        <source>Take the isolation and the trace off the map</source>
        <translation>从地图上移除隔离和追踪结果</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="284" />
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="288" />
        <source>point numbers</source>
        <translation>管线点号</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="289" />
        <source>Valves that are closed already (zone boundaries): they are only checked, and traces stop there</source>
        <translation>已关闭的阀门（分区边界）：仅需核查，追踪到此停止</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="291" />
        <source>Valves already closed</source>
        <translation>已关闭阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="296" />
        <source>Customer points or buildings: each is served by its nearest pipe within the search distance</source>
        <translation>用户点或建筑物：各自由搜索距离内最近的管线供给</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="298" />
        <source>Customers or buildings</source>
        <translation>用户或建筑物</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="304" />
        <source>Largest distance from the click to the pipe</source>
        <translation>单击位置到管线的最大距离</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="305" />
        <source>Search distance</source>
        <translation>搜索距离</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="311" />
        <source>Gas only: radius of the hazard circle around the leak (0: none)</source>
        <translation>仅限燃气：泄漏点周围危险圆的半径（0：不设）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="312" />
        <source>Hazard radius (gas)</source>
        <translation>危险区半径（燃气）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="319" />
        <source>Segment ends and points closer than this are one node</source>
        <translation>距离小于此值的管线段端点和管线点视为同一节点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="320" />
        <source>Snapping tolerance</source>
        <translation>捕捉容差</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="326" />
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="330" />
        <source>upstream</source>
        <translation>上游</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="330" />
        <source>downstream</source>
        <translation>下游</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="330" />
        <source>connected</source>
        <translation>连通</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="333" />
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="335" />
        <source>auto (the nearest pipe)</source>
        <translation>自动（最近的管线）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="368" />
        <source>Category</source>
        <translation>管线类别</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="339" />
        <source>Stop at valves</source>
        <translation>遇阀门停止</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="352" />
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1043" />
        <source>Topology check</source>
        <translation>拓扑检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="357" />
        <source>Disconnected parts, dangling ends, duplicates, crossings without a node, reversed slopes, valves off the line (pipemap:topologycheck)</source>
        <translation>不连通部分、悬挂端点、重复管线段、交叉处无节点、逆坡、阀门偏离管线（pipemap:topologycheck）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="368" />
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="368" />
        <source>Finding</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="368" />
        <source>Segment or point</source>
        <translation>管线段或管线点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="368" />
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="489" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="492" />
        <source>The networks of the map could not be read: {error}</source>
        <translation>无法读取综合图的管网：{error}</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="475" />
        <source>PipeMap: reading the networks of {name}</source>
        <translation>PipeMap：正在读取 {name} 的管网</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="527" />
        <source>Open a map (Map section) to use the network tools.</source>
        <translation>请先打开综合图（见“综合图”栏）再使用管网工具。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="829" />
        <source>Reading the networks of the map…</source>
        <translation>正在读取综合图的管网…</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="534" />
        <source>Networks read in {s} s: {cats} ({n} segments).</source>
        <translation>管网读取完毕，用时 {s} s：{cats}（{n} 条管线段）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="534" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="537" />
        <source>{category}: {n} segments, {k} nodes</source>
        <translation>{category}：{n} 条管线段，{k} 个节点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="544" />
        <source>The networks were not read ({error}).</source>
        <translation>未读取管网（{error}）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="639" />
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="639" />
        <source>shut off source</source>
        <translation>关停供应源</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="640" />
        <source>check closed</source>
        <translation>核查已关闭</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="650" />
        <source>Failure on {seg} ({category}), {d} m from the click.</source>
        <translation>事故管线段 {seg}（{category}），距单击位置 {d} m。</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="655" />
        <source>%n valve(s) to close</source>
        <translation>
            <numerusform>需关闭 %n 个阀门</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="657" />
        <source>%n source(s) to shut off</source>
        <translation>
            <numerusform>需关停 %n 个供应源</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="659" />
        <source>%n closed valve(s) to check</source>
        <translation>
            <numerusform>需核查 %n 个已关闭阀门</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="661" />
        <source>{n} segments isolated ({m} m); {k} more lose supply ({mk} m).</source>
        <translation>隔离 {n} 条管线段（{m} m）；另有 {k} 条停供（{mk} m）。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="665" />
        <source>Hydrants out of service: {ids}.</source>
        <translation>停用消火栓：{ids}。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="667" />
        <source>Failed valves passed: {ids}.</source>
        <translation>已越过的失效阀门：{ids}。</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="670" />
        <source>%n customer(s) or building(s) affected</source>
        <translation>
            <numerusform>受影响用户或建筑 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="672" />
        <source>{n} in the hazard circle of {r} m</source>
        <translation>半径 {r} m 的危险圆内有 {n} 个</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="689" />
        <source>along the network</source>
        <translation>沿管网</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="689" />
        <source>straight line (the network does not join them nearby)</source>
        <translation>直线距离（附近管网不连通）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="796" />
        <source>Click a failure with the Isolate tool first.</source>
        <translation>请先用“关阀”工具单击事故点。</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="802" />
        <source>The response sheet</source>
        <translation>响应单</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="808" />
        <source>Response sheet: &lt;a href="{url}"&gt;{name}&lt;/a&gt;</source>
        <translation>响应单：&lt;a href="{url}"&gt;{name}&lt;/a&gt;</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="812" />
        <source>The sheet was made for segment {other}, not {seg}: the map changed?</source>
        <translation>响应单是针对管线段 {other} 而非 {seg} 生成的：综合图是否已更改？</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="815" />
        <source>Response sheet written: {path}</source>
        <translation>已写出响应单：{path}</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="817" />
        <source>Response sheet</source>
        <translation>响应单</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="840" />
        <source>No pipe lies within {d} m of the click.</source>
        <translation>单击位置 {d} m 范围内没有管线。</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="853" />
        <source>{direction} from {seg} ({category}): %n segment(s), {m} m, {k} stop(s).</source>
        <translation>
            <numerusform>自 {seg}（{category}）{direction}：%n 条管线段，{m} 米，{k} 处停止。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="885" />
        <source>isolated</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="885" />
        <source>losing supply</source>
        <translation>停供</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="886" />
        <source>traced</source>
        <translation>已追踪</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="895" />
        <source>valve to close</source>
        <translation>需关闭的阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="895" />
        <source>source to shut off</source>
        <translation>需关停的供应源</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="896" />
        <source>closed valve to check</source>
        <translation>需核查的已关闭阀门</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="896" />
        <source>hydrant out of service</source>
        <translation>停用的消火栓</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="897" />
        <source>failure</source>
        <translation>事故点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="897" />
        <source>trace stop</source>
        <translation>追踪停止点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="930" />
        <source>Isolation: segments</source>
        <translation>隔离：管线段</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="942" />
        <source>Isolation: valves and hydrants</source>
        <translation>隔离：阀门和消火栓</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="971" />
        <source>Isolation: hazard zone</source>
        <translation>隔离：危险区</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="987" />
        <source>Trace: segments</source>
        <translation>追踪：管线段</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="998" />
        <source>Trace: stops</source>
        <translation>追踪：停止点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1048" />
        <source>disconnected part</source>
        <translation>不连通部分</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1048" />
        <source>dangling end</source>
        <translation>悬挂端点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1049" />
        <source>segment closing on itself</source>
        <translation>首尾闭合的管线段</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1049" />
        <source>duplicated segment</source>
        <translation>重复管线段</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1050" />
        <source>crossing without a node</source>
        <translation>交叉处无节点</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1051" />
        <source>end on a segment (tee not split)</source>
        <translation>端点落在管线段上（三通处未打断）</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1052" />
        <source>overlapping segments</source>
        <translation>管线段重叠</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1052" />
        <source>reversed slope</source>
        <translation>逆坡</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1053" />
        <source>smaller pipe downstream</source>
        <translation>下游管径变小</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1054" />
        <source>valve not on a line</source>
        <translation>阀门不在管线上</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1054" />
        <source>valve not at a node</source>
        <translation>阀门不在节点上</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1059" />
        <source>The topology check</source>
        <translation>拓扑检查</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1062" />
        <source>Topology findings</source>
        <translation>拓扑检查结果</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_network.py" line="1076" />
        <source>Topology: %n finding(s)</source>
        <translation>
            <numerusform>拓扑：%n 项问题</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1077" />
        <source>{e} errors, {w} warnings</source>
        <translation>{e} 个错误，{w} 个警告</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1102" />
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="1102" />
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="529" />
        <source>Reading the networks of the PostGIS map…</source>
        <translation>正在读取 PostGIS 综合图的管网…</translation>
    </message>
    <message>
        <location filename="../plugin/section_network.py" line="541" />
        <source>Edits others make to the PostGIS map show after you &lt;a href="reload"&gt;read it again&lt;/a&gt;.</source>
        <translation>他人对 PostGIS 综合图所作的编辑，需&lt;a href="reload"&gt;重新读取&lt;/a&gt;后才会显示。</translation>
    </message>
</context>
<context>
    <name>PipeDialog</name>
    <message>
        <location filename="../plugin/identify.py" line="186" />
        <source>PipeMap: pipe</source>
        <translation>PipeMap：管线</translation>
    </message>
</context>
<context>
    <name>PipeMapAlgorithm</name>
    <message>
        <location filename="../processing/base.py" line="146" />
        <source>Integrated map</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="147" />
        <source>Ground-penetrating radar</source>
        <translation>探地雷达</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="148" />
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="150" />
        <source>Data sharing</source>
        <translation>数据共享</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="151" />
        <source>Network</source>
        <translation>管网</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="95" />
        <source>Could not write {what}: {error}</source>
        <translation>无法写入 {what}：{error}</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="193" />
        <source>Cancelled by the user; nothing was written.</source>
        <translation>用户已取消，未写入任何内容。</translation>
    </message>
</context>
<context>
    <name>PipeMapDock</name>
    <message>
        <location filename="../plugin/dock.py" line="91" />
        <source>PipeMap workbench</source>
        <translation>PipeMap 工作台</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>Map</source>
        <translation>综合图</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>GPR</source>
        <translation>探地雷达</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>Sharing</source>
        <translation>数据共享</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>3D</source>
        <translation>三维</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="154" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Excavation</source>
        <translation>开挖</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Draw a planned excavation (click the corners, right-click to finish): the pipes it would reach and their owners are listed at once</source>
        <translation>绘制拟开挖范围（依次单击各角点，右键单击结束）：立即列出其将触及的管线及其权属单位</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Pipe</source>
        <translation>管线</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Click a pipe: its attributes, clearances to its neighbours and its cover</source>
        <translation>单击管线：显示其属性、与相邻管线的净距及其覆土深度</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Section</source>
        <translation>断面</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Click two points: a cross-section drawing along the line</source>
        <translation>单击两点：沿该线绘制横断面图</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="228" />
        <source>Map: &lt;b&gt;{name}&lt;/b&gt;</source>
        <translation>综合图：&lt;b&gt;{name}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="231" />
        <source>No map is open: create or open one in the Map section.</source>
        <translation>尚未打开综合图：请在“综合图”栏中创建或打开。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="361" />
        <source>Pipe segments</source>
        <translation>管线段</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="361" />
        <source>Pipe points</source>
        <translation>管线点</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="362" />
        <source>GPR surveys</source>
        <translation>探地雷达测线</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="362" />
        <source>GPR pick review</source>
        <translation>探地雷达拾取点审核</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="423" />
        <source>The algorithm {id} is not available in this PipeMap installation.</source>
        <translation>当前安装的 PipeMap 中没有算法 {id}。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="430" />
        <source>A PipeMap algorithm needed here is not available.</source>
        <translation>此处所需的 PipeMap 算法不可用。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="442" />
        <source>Running: {what}</source>
        <translation>正在运行：{what}</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="446" />
        <source>Done: {what}</source>
        <translation>已完成：{what}</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="448" />
        <source>Cancelled: {what}; nothing was written.</source>
        <translation>已取消：{what}；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="450" />
        <source>Failed: {what}</source>
        <translation>失败：{what}</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="456" />
        <source>{what}: cancelled, nothing was written.</source>
        <translation>{what}：已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="459" />
        <source>see the log</source>
        <translation>请查看日志</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="460" />
        <source>{what} failed: {reason}</source>
        <translation>{what}失败：{reason}</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="479" />
        <source>Open or create an integrated map first (Map section).</source>
        <translation>请先打开或创建管线综合图（见“综合图”栏）。</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>Profiles</source>
        <translation>断面图</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="129" />
        <source>Network</source>
        <translation>管网</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Profile</source>
        <translation>纵断面</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Click two pipe points: a longitudinal profile along the pipes between them</source>
        <translation>单击两个管线点：沿两点之间的管线绘制纵断面图</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Isolate</source>
        <translation>关阀</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Click a burst main or a gas leak on a pipe: the valves to close, in order, and what loses supply, at once</source>
        <translation>单击管线上的爆管或燃气泄漏点：立即列出需依次关闭的阀门及停供范围</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="186" />
        <source>Click a pipe: the network upstream, downstream or connected to it (Network section)</source>
        <translation>单击管线：显示其上游、下游或与之连通的管网（见“管网”栏）</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="474" />
        <source>This needs a GeoPackage map: a PostGIS map works in the Map, Checks, Network and Sharing sections (or transfer it to a GeoPackage with pipemap:transfer).</source>
        <translation>此功能需要 GeoPackage 综合图：PostGIS 综合图可用于综合图、检查、管网和数据共享分区（或用 pipemap:transfer 将其转存为 GeoPackage）。</translation>
    </message>
</context>
<context>
    <name>PipeMapErrors</name>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cancelled by the user; nothing was written.</source>
        <translation>用户已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No coordinate reference system was given.</source>
        <translation>未指定坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The coordinate reference system {crs!r} is neither projected, geographic nor a local grid.</source>
        <translation>坐标参考系 {crs!r} 既不是投影坐标系、地理坐标系，也不是独立坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write {path}: the folder {folder} does not exist.</source>
        <translation>无法写入 {path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write in the folder {folder}: {reason}</source>
        <translation>无法在文件夹 {folder} 中写入：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The coordinate reference system {crs!r} is not valid: {reason}</source>
        <translation>坐标参考系 {crs!r} 无效：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not create the table {name}.</source>
        <translation>无法创建数据表 {name}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} must be a GeoPackage file ending in .gpkg.</source>
        <translation>综合图 {path} 必须是扩展名为 .gpkg 的 GeoPackage 文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file {path} already exists; it was left untouched. Choose another name or allow overwriting.</source>
        <translation>文件 {path} 已存在，未作改动。请换一个文件名，或允许覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a file; it was left untouched.</source>
        <translation>{path} 不是文件，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file {path} is read-only; it was left untouched.</source>
        <translation>文件 {path} 为只读，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} does not exist.</source>
        <translation>综合图 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} has schema version {found}; this PipeMap understands up to {known}. Update PipeMap to open it.</source>
        <translation>综合图 {path} 的数据模型版本为 {found}，本版 PipeMap 最高支持 {known}。请升级 PipeMap 后再打开。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not add the code list {name}.</source>
        <translation>无法添加代码表 {name}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the map {path}: {reason}</source>
        <translation>无法写入综合图 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a GeoPackage (not an SQLite file).</source>
        <translation>{path} 不是 GeoPackage（不是 SQLite 文件）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a PipeMap integrated map (no pipemap_metadata table).</source>
        <translation>{path} 不是 PipeMap 管线综合图（缺少 pipemap_metadata 表）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No upgrade path from schema version {version} for {path}.</source>
        <translation>{path} 无法从数据模型版本 {version} 升级。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a GPR file PipeMap reads (GSSI DZT, Sensors &amp; Software DT1, MALA RD3/RD7, SEG-Y).</source>
        <translation>{path} 不是 PipeMap 可读取的探地雷达文件（GSSI DZT、Sensors &amp; Software DT1、MALA RD3/RD7、SEG-Y）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The GPR file {path} does not exist.</source>
        <translation>探地雷达文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown GPR format {fmt!r}.</source>
        <translation>未知的探地雷达数据格式 {fmt!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_segment layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_point layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_point 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be opened as a GeoPackage: {reason}</source>
        <translation>无法将 {path} 作为 GeoPackage 打开：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} needs at least two vertices with x, y and z (an array of shape (n, 3)); got shape {shape}.</source>
        <translation>管线段 {pipe_id} 至少需要两个含 x、y、z 的顶点（形状为 (n, 3) 的数组），实际形状为 {shape}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has a missing or infinite coordinate (is its centreline elevation unknown?).</source>
        <translation>管线段 {pipe_id} 有缺失或无穷大的坐标（是否缺少管线中心高程？）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has {field} = {value!r}; a positive size in metres is required.</source>
        <translation>管线段 {pipe_id} 的 {field} = {value!r}；尺寸须为正数，单位为米。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground sampling step must be a positive number of metres; got {step!r}.</source>
        <translation>地面采样间距须为正数（单位：米），实际为 {step!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A ground step of {step} m over {length:.1f} m needs {count} samples (at most {limit}); use a larger step.</source>
        <translation>在 {length:.1f} m 长度上按 {step} m 间距采样地面需要 {count} 个采样点（上限 {limit} 个）；请增大采样间距。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A longitudinal profile needs at least one pipe segment; the run is empty.</source>
        <translation>纵断面图至少需要一条管线段；所选连通管段为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The run {ids} has no horizontal length; a profile cannot be drawn.</source>
        <translation>连通管段 {ids} 的水平长度为零，无法绘制纵断面图。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values but the run has {n} nodes (one more than its segments).</source>
        <translation>{name} 有 {got} 个值，但连通管段有 {n} 个节点（比管线段数多一个）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line needs at least two vertices (an array of shape (k, 2)); got shape {shape}.</source>
        <translation>断面线至少需要两个顶点（形状为 (k, 2) 的数组），实际形状为 {shape}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has a missing or infinite coordinate.</source>
        <translation>断面线有缺失或无穷大的坐标。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has no length: all its vertices are the same point.</source>
        <translation>断面线长度为零：其所有顶点为同一点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points must be three arrays of the same length; got {a}, {b} and {c} values.</source>
        <translation>ground_points 必须是三个长度相同的数组，实际分别有 {a}、{b}、{c} 个值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points holds no point with a finite x, y and z.</source>
        <translation>ground_points 中没有 x、y、z 均为有限值的点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No drawing format was given; choose from {known}.</source>
        <translation>未指定图件格式；可选格式：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The drawing path {path!r} has no file name.</source>
        <translation>图件路径 {path!r} 缺少文件名。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has the unknown category {category!r}; expected one of {known}.</source>
        <translation>管线段 {pipe_id} 的管线类别 {category!r} 未知；应为 {known} 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has the unknown section shape {shape!r}; expected 'circular' or 'box'.</source>
        <translation>管线段 {pipe_id} 的断面形状 {shape!r} 未知；应为 'circular'（圆形）或 'box'（矩形）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} is circular but its width {width_m} m differs from its height {height_m} m; give the outer diameter as both.</source>
        <translation>管线段 {pipe_id} 为圆形断面，但其宽度 {width_m} m 与高度 {height_m} m 不一致；请将两者都设为外径。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has vertices that are not numbers.</source>
        <translation>管线段 {pipe_id} 的顶点坐标含有非数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground sampler returned {got} values for {n} points; it must return one elevation per point.</source>
        <translation>地面采样器对 {n} 个点返回了 {got} 个值；每个点必须返回一个高程值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The run must hold pipe records; got {what}.</source>
        <translation>连通管段必须由管线记录组成，实际为 {what}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {first} ends {gap:.3f} m from where pipe {second} starts; a run must be ordered and each segment must start where the previous one ends (within {tol} m).{hint}</source>
        <translation>管线段 {first} 的终点与管线段 {second} 的起点相距 {gap:.3f} m；连通管段必须按顺序排列，且每条管线段的起点须与前一条的终点重合（容差 {tol} m）。{hint}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} holds a value that is not valid: {values!r}.</source>
        <translation>{name} 含有无效值：{values!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The pipes must be pipe records; got {what}.</source>
        <translation>管线必须为管线记录，实际为 {what}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line has vertices that are not numbers.</source>
        <translation>断面线的顶点坐标含有非数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ground_points must be three arrays (x, y, z) of numbers.</source>
        <translation>ground_points 必须是三个数值数组（x、y、z）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown drawing format {fmt!r}; choose from {known}.</source>
        <translation>未知的图件格式 {fmt!r}；可选格式：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the drawing {path}: {reason}</source>
        <translation>无法写入图件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Pipe {pipe_id} has an inner height of {inner} m, larger than its outer height {height} m.</source>
        <translation>管线段 {pipe_id} 的内高 {inner} m 大于其外高 {height} m。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The section line needs at least two vertices.</source>
        <translation>断面线至少需要两个顶点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} does not exist.</source>
        <translation>DEM {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} cannot be opened: {reason}</source>
        <translation>无法打开 DEM {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} has no band {band}.</source>
        <translation>DEM {path} 没有第 {band} 波段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DEM {path} is rotated; warp it to a north-up grid first.</source>
        <translation>DEM {path} 为旋转栅格；请先将其重采样为正北朝上的格网。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No connected run of segments from {a} to {b}.</source>
        <translation>从 {a} 到 {b} 没有连通的管线段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Point {point} is not the end of any segment{cat}.</source>
        <translation>管线点 {point} 不是任何管线段的端点{cat}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the DEM {path}.</source>
        <translation>无法写入 DEM {path}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Give a point table, a segment table, or a folder of tables.</source>
        <translation>请指定管线点成果表、管线段成果表或成果表所在文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown import mode {mode!r}: use all_or_nothing or valid_rows.</source>
        <translation>未知的导入模式 {mode!r}：请使用 all_or_nothing 或 valid_rows。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} is read-only; nothing was imported.</source>
        <translation>综合图 {path} 为只读，未导入任何数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No rows to import in {files}.</source>
        <translation>{files} 中没有可导入的数据行。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} does not exist.</source>
        <translation>{path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The folder {path} holds no CSV or Excel tables.</source>
        <translation>文件夹 {path} 中没有 CSV 或 Excel 表格。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write into the map {path}: {reason}; the map is unchanged.</source>
        <translation>无法写入综合图 {path}：{reason}；综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot tell whether {path} is a point or a segment table: name it like JSPoint.csv / JSLine.csv.</source>
        <translation>无法判断 {path} 是管线点表还是管线段表：请参照 JSPoint.csv / JSLine.csv 命名。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Two point tables for the same category: {a} and {b}.</source>
        <translation>同一管线类别有两个管线点表：{a} 和 {b}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Two segment tables for the same category: {a} and {b}.</source>
        <translation>同一管线类别有两个管线段表：{a} 和 {b}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no pipe_point/pipe_segment layer).</source>
        <translation>{path} 不是管线综合图（缺少 pipe_point/pipe_segment 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown import profile {name!r}: use 'zh', 'en' or a JSON/YAML file.</source>
        <translation>未知的导入配置 {name!r}：请使用 'zh'、'en' 或 JSON/YAML 文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} does not exist (built-in profiles: zh, en).</source>
        <translation>导入配置 {path} 不存在（内置配置：zh、en）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} must be a mapping of settings.</source>
        <translation>导入配置 {path} 必须是设置项的键值映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} is not valid {kind}: {reason}</source>
        <translation>导入配置 {path} 不是有效的 {kind}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: '{section}' must map fields to header lists.</source>
        <translation>导入配置 {path}：'{section}' 必须将字段映射到表头名列表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: xy_order must be northing_easting or easting_northing.</source>
        <translation>导入配置 {path}：xy_order 必须为 northing_easting 或 easting_northing。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} names an unknown {section} field {field!r}.</source>
        <translation>导入配置 {path} 中含有未知的 {section} 字段 {field!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: field {field!r} needs a list of headers.</source>
        <translation>导入配置 {path}：字段 {field!r} 需要一个表头名列表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: {key} must be a number.</source>
        <translation>导入配置 {path}：{key} 必须为数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} does not exist.</source>
        <translation>表格 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is empty.</source>
        <translation>表格 {path} 为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is {size} bytes, more than the {limit} bytes PipeMap reads.</source>
        <translation>表格 {path} 大小为 {size} 字节，超过 PipeMap 可读取的上限 {limit} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is not a text table (it contains binary data).</source>
        <translation>表格 {path} 不是文本表格（含有二进制数据）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is neither UTF-8 nor GBK/GB18030 text; give its encoding.</source>
        <translation>表格 {path} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本；请指定其编码。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} has no header row.</source>
        <translation>表格 {path} 没有表头行。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} cannot be opened.</source>
        <translation>无法打开电子表格 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown text encoding {encoding!r}.</source>
        <translation>未知的文本编码 {encoding!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} cannot be read as {encoding}: bad bytes on line {line}.</source>
        <translation>无法按 {encoding} 编码读取表格 {path}：第 {line} 行含有无效字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} is not valid CSV near line {line}: {reason}</source>
        <translation>表格 {path} 第 {line} 行附近不是有效的 CSV：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} has no sheet with data.</source>
        <translation>电子表格 {path} 中没有含数据的工作表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} cannot be opened: {reason}</source>
        <translation>无法打开电子表格 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} has no sheet named {sheet!r}.</source>
        <translation>电子表格 {path} 中没有名为 {sheet!r} 的工作表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer must hold polygons; {n} features are not (e.g. {ids}).</source>
        <translation>图层必须为面图层；有 {n} 个要素不是面（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sampling step must be more than 0 m (got {step}).</source>
        <translation>采样间距必须大于 0 m（实际为 {step}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} polygons have no geometry and are ignored (e.g. {ids}).</source>
        <translation>{n} 个面要素没有几何图形，已忽略（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No ground surface was given: every cover figure is UNKNOWN.</source>
        <translation>未指定地面：所有覆土数值均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes lie partly or wholly outside the ground surface: their cover is UNKNOWN there (e.g. {ids}).</source>
        <translation>{n} 条管线部分或全部位于地面范围之外：该部分的覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The polygon {id} is invalid ({reason}); it was repaired with make_valid: check its outline.</source>
        <translation>面要素 {id} 无效（{reason}）；已用 make_valid 修复，请检查其轮廓。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} more polygons were invalid and repaired.</source>
        <translation>另有 {n} 个面要素无效，已修复。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values for {n} excavations.</source>
        <translation>{name} 有 {got} 个值，但开挖区有 {n} 个。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The safety distance must be 0 m or more (got {s}).</source>
        <translation>安全距离必须不小于 0 m（实际为 {s}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Give the excavation bottom as an elevation or as a depth below ground.</source>
        <translation>请以高程或地面以下深度的形式给出开挖底面。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The excavations {ids} are given by depth: a ground surface (DEM, point cloud or points) is needed.</source>
        <translation>开挖区 {ids} 以深度给出：需要提供地面（DEM、点云或高程点）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The excavations {ids} have neither a bottom elevation nor a depth: their depth figures are UNKNOWN.</source>
        <translation>开挖区 {ids} 既无底面高程也无开挖深度：其深度数值为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground surface is in {crs_a} but the pipes are in {crs_b}: reproject one of them first.</source>
        <translation>地面采用 {crs_a}，而管线采用 {crs_b}：请先对其中之一进行重投影。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Only {n} distinct ground points were found ({source}); at least 3 are needed for a surface.</source>
        <translation>仅找到 {n} 个不重复的地面点（{source}）；构建地面至少需要 3 个点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} does not exist.</source>
        <translation>点云 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A ground surface from points needs the Python package scipy (pip install scipy).</source>
        <translation>由点构建地面需要 Python 包 scipy（pip install scipy）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The ground points ({source}) cannot be triangulated (all on one line?): {reason}</source>
        <translation>地面点（{source}）无法构建三角网（是否全部共线？）：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Reading LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]').</source>
        <translation>读取 LAS/LAZ 需要 Python 包 laspy（pip install 'laspy[lazrs]'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} cannot be read: {reason}</source>
        <translation>无法读取点云 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no cover rule class in the tables: their cover is counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有覆土规则类别：其覆土计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{name} has {got} values for {n} pipes.</source>
        <translation>{name} 有 {got} 个值，但管线有 {n} 条。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no cover rule class because {attrs} is missing: their cover is UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有覆土规则类别：其覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no horizontal rule class in the tables: their horizontal pairs are counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有水平净距规则类别：其水平净距管线对计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes (categories {cats}) have no vertical rule class in the tables: their vertical pairs are counted as no_rule.</source>
        <translation>{n} 条管线（管线类别 {cats}）在规则表中没有垂直净距规则类别：其垂直净距管线对计为 no_rule。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer's CRS {crs} is geographic (degrees); clearances and depths need metres: reproject it to a projected CRS (e.g. the CGCS2000 Gauss-Kruger zone).</source>
        <translation>图层的坐标参考系 {crs} 为地理坐标系（单位：度）；净距和埋深计算需要以米为单位：请将其重投影到投影坐标系（如 CGCS2000 高斯-克吕格投影带）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer's CRS {crs} is not in metres (1 unit = {units} m); reproject it first.</source>
        <translation>图层的坐标参考系 {crs} 的单位不是米（1 单位 = {units} m）；请先进行重投影。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Vertices must be an (N, 3) array of x, y, z.</source>
        <translation>顶点必须是由 x、y、z 组成的 (N, 3) 数组。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Offsets must run from 0 to the number of vertices, one more than the pipes.</source>
        <translation>偏移量必须从 0 递增到顶点数，个数比管线数多一个。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have a negative size (e.g. {ids}).</source>
        <translation>{n} 条管线的尺寸为负值（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no horizontal rule class because {attrs} is missing: their horizontal clearances are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有水平净距规则类别：其水平净距为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no vertical rule class because {attrs} is missing: their vertical clearances are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线因缺少 {attrs} 而没有垂直净距规则类别：其垂直净距为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have fewer than two vertices and are not checked (e.g. {ids}).</source>
        <translation>{n} 条管线的顶点少于两个，未作检查（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have vertices without x/y and are not checked (e.g. {ids}).</source>
        <translation>{n} 条管线有缺少 x/y 坐标的顶点，未作检查（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The pipes have no elevations (a 2D layer or z missing everywhere): every vertical, crossing-order, cover and excavation figure is UNKNOWN.</source>
        <translation>管线没有高程（二维图层或全部缺少 z 值）：所有垂直净距、交叉上下关系、覆土和开挖数值均为 UNKNOWN（未知）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have no diameter or box size: their clearances and cover are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线没有管径或断面尺寸：其净距和覆土为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have the unknown quality level {level!r}; the CJJ 61 concealed-point limits are used for them.</source>
        <translation>{n} 条管线的质量等级 {level!r} 未知；对其采用 CJJ 61 隐蔽管线点限差。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} pipes have vertices without z: their vertical, cover and excavation figures are UNKNOWN (e.g. {ids}).</source>
        <translation>{n} 条管线有缺少 z 值的顶点：其垂直净距、覆土和开挖数值为 UNKNOWN（未知）（如 {ids}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} does not exist.</source>
        <translation>规则表 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} is neither UTF-8 nor GBK text.</source>
        <translation>规则表 {path} 既不是 UTF-8 也不是 GBK 编码的文本。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} lacks the column(s) {columns} (it has: {header}).</source>
        <translation>规则表 {path} 缺少列 {columns}（现有列：{header}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: {column} = {value!r} must be a distance of 0 m or more.</source>
        <translation>{path} 第 {row} 行：{column} = {value!r}，必须是不小于 0 m 的距离。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The clearance table {path} has no rule.</source>
        <translation>净距表 {path} 中没有规则。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The cover table {path} has no rule.</source>
        <translation>覆土表 {path} 中没有规则。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: {column} = {value!r} is not a number.</source>
        <translation>{path} 第 {row} 行：{column} = {value!r} 不是数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>These rules have no class mapping: give a class field instead.</source>
        <translation>这些规则没有类别映射：请改为指定类别字段。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: class_a and class_b must both be given.</source>
        <translation>{path} 第 {row} 行：必须同时给出 class_a 和 class_b。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: the class is empty.</source>
        <translation>{path} 第 {row} 行：类别为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Row {row} of {path}: the class {cls} is listed twice.</source>
        <translation>{path} 第 {row} 行：类别 {cls} 重复列出。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} gives two values of {column} for {a} / {b}: {v1} m ({r1}) and {v2} m ({r2}).</source>
        <translation>规则表 {path} 对 {a} / {b} 给出了两个 {column} 值：{v1} m（{r1}）和 {v2} m（{r2}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Migration needs the trace spacing: give TRACE_SPACING_M (the file has no distances).</source>
        <translation>偏移处理需要道间距：请指定 TRACE_SPACING_M（文件中没有距离信息）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Migration needs a velocity: give velocity_m_ns (the file gives no permittivity).</source>
        <translation>偏移处理需要速度：请指定 velocity_m_ns（文件中未给出介电常数）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown processing step '{name}' in '{source}'. Known steps and presets: {known}.</source>
        <translation>'{source}' 中的处理步骤 '{name}' 未知。可用的处理步骤和预设：{known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A processing step list must be text, not {kind}.</source>
        <translation>处理步骤列表必须是文本，而不是 {kind}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The step '{step}' has no argument '{arg}' (in '{source}'); its arguments are: {allowed}.</source>
        <translation>处理步骤 '{step}' 没有参数 '{arg}'（位于 '{source}'）；其可用参数为：{allowed}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot read the processing step '{source}': write name or name(arg=value, ...).</source>
        <translation>无法解析处理步骤 '{source}'：请写作 name 或 name(arg=value, ...)。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The preset '{name}' takes no arguments (in '{source}').</source>
        <translation>预设 '{name}' 不接受参数（位于 '{source}'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Write the arguments of '{source}' as name=value.</source>
        <translation>请将 '{source}' 的参数写作 name=value。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The value of '{arg}' in '{source}' must be a number, None, True/False or a quoted text.</source>
        <translation>'{source}' 中 '{arg}' 的值必须是数值、None、True/False 或带引号的文本。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no GPS positions to georeference with.</source>
        <translation>{path} 没有可用于地理配准的 GPS 定位数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no usable GPS fix.</source>
        <translation>{path} 没有有效的 GPS 定位。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: {got} coordinates for {n} traces.</source>
        <translation>{path}：共 {n} 道，但有 {got} 个坐标。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The survey line needs at least two vertices.</source>
        <translation>测线至少需要两个顶点。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The survey line has no length.</source>
        <translation>测线长度为零。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} must end in .las or .laz.</source>
        <translation>点云 {path} 的扩展名必须为 .las 或 .laz。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Writing LAS/LAZ needs the Python package laspy (pip install 'laspy[lazrs]&gt;=2.5').</source>
        <translation>写入 LAS/LAZ 需要 Python 包 laspy（pip install 'laspy[lazrs]&gt;=2.5'）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the point cloud {path}: {reason}</source>
        <translation>无法写入点云 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} = {value} cannot be used: it must be {rule}.</source>
        <translation>{path}：字段 {field} = {value} 不可用：须为 {rule}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is too large ({size} bytes) to be a GPR header file.</source>
        <translation>{path} 过大（{size} 字节），不是探地雷达文件头文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Sensors &amp; Software header file {path} is missing: it is needed with {data} for the fields NUMBER OF PTS/TRC and TOTAL TIME WINDOW.</source>
        <translation>缺少 Sensors &amp; Software 文件头文件 {path}：读取 {data} 时需要其中的字段 NUMBER OF PTS/TRC 和 TOTAL TIME WINDOW。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: it has {size} bytes, less than one {record}-byte trace (field {field}).</source>
        <translation>{path} 中没有完整的道：文件只有 {size} 字节，不足一道的 {record} 字节（字段 {field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a Sensors &amp; Software DT1 file: the first trace header gives {field} = {value}.</source>
        <translation>{path} 不是 Sensors &amp; Software DT1 文件：第一道道头中 {field} = {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: a trace of {points} points ({field}) needs {record} bytes but the file has {size}.</source>
        <translation>{path} 中没有完整的道：每道 {points} 个采样点（{field}）需要 {record} 字节，但文件只有 {size} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Sensors &amp; Software data file {path} is missing: the header {header} has no samples without it.</source>
        <translation>缺少 Sensors &amp; Software 数据文件 {path}：没有它，文件头 {header} 没有对应的采样数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing and the first trace header of {data} does not give the points per trace either.</source>
        <translation>{path}：缺少字段 {field}，且 {data} 的第一道道头中也未给出每道采样点数。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing and the trace headers of {data} do not give it either.</source>
        <translation>{path}：缺少字段 {field}，且 {data} 的道头中也未给出该值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} does not exist.</source>
        <translation>DZT 文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} is {size} bytes long, too short for the {need} bytes of its {nchan} channel headers (header field {field}).</source>
        <translation>DZT 文件 {path} 长度为 {size} 字节，不足以容纳其 {nchan} 个通道文件头所需的 {need} 字节（文件头字段 {field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} has an invalid header field {field} = {value} (expected {expected}).</source>
        <translation>DZT 文件 {path} 的文件头字段无效：{field} = {value}（应为 {expected}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} puts its data at byte {offset} (header field {field} = {value}), beyond the end of the file ({size} bytes).</source>
        <translation>DZT 文件 {path} 的数据起始于第 {offset} 字节（文件头字段 {field} = {value}），超出文件末尾（文件共 {size} 字节）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} holds no complete scan: {available} data bytes after byte {offset}, but one scan (header fields rh_nsamp x rh_nchan x rh_bits) needs {scan_bytes} bytes.</source>
        <translation>DZT 文件 {path} 中没有完整的扫描道：第 {offset} 字节之后只有 {available} 字节数据，而一个扫描道（文件头字段 rh_nsamp x rh_nchan x rh_bits）需要 {scan_bytes} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} is {size} bytes long, too short for its {field} ({need} bytes).</source>
        <translation>DZT 文件 {path} 长度为 {size} 字节，不足以容纳其 {field}（{need} 字节）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The DZT file {path} cannot be read: {reason}</source>
        <translation>无法读取 DZT 文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a MALA file: the extension {ext} is none of .rad, .rd3, .rd7.</source>
        <translation>{path} 不是 MALA 文件：扩展名 {ext} 不是 .rad、.rd3、.rd7 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The MALA data file for {path} is missing: {rd3} or {rd7} should be next to it.</source>
        <translation>缺少 {path} 对应的 MALA 数据文件：{rd3} 或 {rd7} 应与其位于同一文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the field {field} is missing.</source>
        <translation>{path}：缺少字段 {field}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no complete trace: a trace of {points} samples ({field}) needs {record} bytes but the file has {size}.</source>
        <translation>{path} 中没有完整的道：每道 {points} 个采样（{field}）需要 {record} 字节，但文件只有 {size} 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The MALA header file {path} is missing: it is needed with {data} for the fields SAMPLES and FREQUENCY.</source>
        <translation>缺少 MALA 文件头文件 {path}：读取 {data} 时需要其中的字段 SAMPLES 和 FREQUENCY。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the fields {field} and TIMEWINDOW are both missing or unusable.</source>
        <translation>{path}：字段 {field} 和 TIMEWINDOW 均缺失或不可用。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: trace count inconsistent with file size: the {body} bytes after byte {offset} are not a whole number of {trace_bytes}-byte traces (240-byte trace header + {ns} samples of {bps} bytes, {field}).</source>
        <translation>{path}：道数与文件大小不符：第 {offset} 字节之后的 {body} 字节不是每道 {trace_bytes} 字节的整数倍（240 字节道头 + {ns} 个采样 × 每采样 {bps} 字节，{field}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: {field} = {value} is not a usable number of extended textual headers (the file has room for {room}).</source>
        <translation>{path}：{field} = {value} 不是可用的扩展文本文件头个数（文件可容纳 {room} 个）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the number of samples per trace is 0 in {field}; a SEG-Y trace needs at least one sample.</source>
        <translation>{path}：{field} 中的每道采样数为 0；SEG-Y 每道至少需要一个采样。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sample interval override {field} for {path} must be a positive number of nanoseconds; got {value!r}.</source>
        <translation>为 {path} 指定的采样间隔 {field} 必须为正数（单位：ns），实际为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is too short to be a SEG-Y file ({size} bytes): {field} and at least one 240-byte trace header need 3840 bytes.</source>
        <translation>{path} 过短（{size} 字节），不是 SEG-Y 文件：{field} 加至少一个 240 字节道头需要 3840 字节。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be read: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the sample interval is 0 in {field}; give the sample interval (sample_interval_ns) to read this file.</source>
        <translation>{path}：{field} 中的采样间隔为 0；请指定采样间隔（sample_interval_ns）以读取该文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the traces have different lengths ({field}) and padding them to the longest would need {need_mb} MB (at most {limit_mb} MB).</source>
        <translation>{path}：各道长度不一（{field}），将其补齐到最长道需要 {need_mb} MB（上限 {limit_mb} MB）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: the SEG-Y sample format code {value} ({field}) is not supported; PipeMap reads codes 1 (IBM float), 2 (32-bit integer), 3 (16-bit integer), 5 (IEEE float) and 8 (8-bit integer).</source>
        <translation>{path}：不支持 SEG-Y 采样格式代码 {value}（{field}）；PipeMap 可读取的代码为 1（IBM 浮点）、2（32 位整数）、3（16 位整数）、5（IEEE 浮点）和 8（8 位整数）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the SEG-Y file {path}: {field} = {value!r} cannot be stored ({reason}).</source>
        <translation>无法写入 SEG-Y 文件 {path}：无法存储 {field} = {value!r}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the SEG-Y file {path}: {reason}</source>
        <translation>无法写入 SEG-Y 文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A survey line needs its CRS.</source>
        <translation>测线必须指定坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sample interval must be positive.</source>
        <translation>采样间隔必须为正数。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} has {n} ground-class ({cls}) points but none near the pipes (x {xmin:.1f} to {xmax:.1f}, y {ymin:.1f} to {ymax:.1f}): is it of the same area and in the pipes' CRS?</source>
        <translation>点云 {path} 有 {n} 个地面类（{cls}）点，但管线附近没有（x {xmin:.1f} 至 {xmax:.1f}，y {ymin:.1f} 至 {ymax:.1f}）：点云是否属于同一区域，并采用管线的坐标参考系？</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The point cloud {path} has no ground-class ({cls}) points (it has {n} points): classify its ground first.</source>
        <translation>点云 {path} 中没有地面类（{cls}）点（共有 {n} 个点）：请先进行地面点分类。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PipeMap CityJSON Extension {path} cannot be read: {reason}</source>
        <translation>无法读取 PipeMap CityJSON 扩展 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the DXF file {path}: {reason}</source>
        <translation>无法写入 DXF 文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The export holds no water-supply (JS) segments, so there is no EPANET model to write (segment categories in the export: {have}).</source>
        <translation>导出数据中没有给水（JS）管线段，因此无法写出 EPANET 模型（导出数据中的管线段类别：{have}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>None of the {n} water-supply segments joins two different nodes: there is no EPANET model to write.</source>
        <translation>{n} 条给水管线段中没有一条连接两个不同的节点：无法写出 EPANET 模型。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown export format {key} (known: {known}).</source>
        <translation>未知的导出格式 {key}（可用格式：{known}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write feature {n} of {layer}.</source>
        <translation>无法写入 {layer} 的要素 {n}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the GeoPackage {path}: {reason}</source>
        <translation>无法写入 GeoPackage {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the GeoJSON / JSON-FG export in {folder}: {reason}</source>
        <translation>无法在 {folder} 中写出 GeoJSON / JSON-FG 导出数据：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The LAS/LAZ export needs GPR picks, and no GPR picks were given (PICKS).</source>
        <translation>导出 LAS/LAZ 需要探地雷达拾取点，但未给定拾取点（PICKS）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {profile} does not let GPR picks leave, so there is nothing to write as LAS/LAZ.</source>
        <translation>共享配置 {profile} 不允许导出探地雷达拾取点，因此没有可写为 LAS/LAZ 的数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: manifest.json is too large to be a PipeMap manifest.</source>
        <translation>{path}：manifest.json 过大，不是 PipeMap 清单。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: manifest.json is not a PipeMap manifest (version {version}).</source>
        <translation>{path}：manifest.json 不是 PipeMap 清单（版本 {version}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The package folder {path} contains a symbolic link; a package holds files only.</source>
        <translation>数据包文件夹 {path} 中含有符号链接；数据包中只能有文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: manifest.json is not valid UTF-8 JSON: {reason}</source>
        <translation>{path}：manifest.json 不是有效的 UTF-8 JSON：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no manifest.json at its top: it is not a PipeMap share package.</source>
        <translation>{path} 顶层没有 manifest.json：不是 PipeMap 共享数据包。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is neither a package folder nor a zip file.</source>
        <translation>{path} 既不是数据包文件夹，也不是 zip 文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} has no {layer} layer: it is not an integrated map.</source>
        <translation>综合图 {path} 中没有 {layer} 图层：不是管线综合图。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The extent {extent} is empty.</source>
        <translation>范围 {extent} 为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown category codes {codes_}: known are {known}.</source>
        <translation>未知的管线类别代码 {codes_}；可用代码为 {known}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Choose at least one export format.</source>
        <translation>请至少选择一种导出格式。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} already exists; choose another name or allow overwriting.</source>
        <translation>{path} 已存在；请换一个名称，或允许覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} exists and is not a share package of the same kind; it is left alone.</source>
        <translation>{path} 已存在，且不是同类共享数据包；未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is a folder with other files in it (no manifest.json): PipeMap will not replace it.</source>
        <translation>{path} 是含有其他文件的文件夹（没有 manifest.json）：PipeMap 不会替换它。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The {format} export needs the Python package {package}: {reason}</source>
        <translation>导出 {format} 需要 Python 包 {package}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The {format} writer wrote outside its package folder ({path}).</source>
        <translation>{format} 写出程序写到了其数据包文件夹之外（{path}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: {what} must be a list of text codes.</source>
        <translation>共享配置 {path}：{what} 必须是文本代码列表。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: {what} must be an object with "allow" and/or "deny" lists.</source>
        <translation>共享配置 {path}：{what} 必须是含有 "allow" 和/或 "deny" 列表的对象。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} must hold a JSON object.</source>
        <translation>共享配置 {path} 必须是一个 JSON 对象。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} has unknown keys: {keys}.</source>
        <translation>共享配置 {path} 含有未知的键：{keys}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} has no "name".</source>
        <translation>共享配置 {path} 缺少 "name"。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: layer_fields may only name {layers}.</source>
        <translation>共享配置 {path}：layer_fields 只能列出 {layers}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: precision_m must be a number of metres &gt;= 0.</source>
        <translation>共享配置 {path}：precision_m 必须是不小于 0 的数值（单位：米）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: owner_contacts must be true or false.</source>
        <translation>共享配置 {path}：owner_contacts 必须为 true 或 false。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} does not exist (shipped profiles: {names}).</source>
        <translation>共享配置 {path} 不存在（内置共享配置：{names}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} is too large to be a profile.</source>
        <translation>共享配置 {path} 过大，不是有效的共享配置。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} names the unknown category {category} (known: {known}).</source>
        <translation>共享配置 {path} 中列出了未知的管线类别 {category}（可用类别：{known}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} names the unknown sensitivity class {value} (known: {known}).</source>
        <translation>共享配置 {path} 中列出了未知的敏感等级 {value}（可用等级：{known}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path}: unknown layer {layer} (known: {layers}).</source>
        <translation>共享配置 {path}：未知图层 {layer}（可用图层：{layers}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The sharing profile {path} is not valid UTF-8 JSON: {reason}</source>
        <translation>共享配置 {path} 不是有效的 UTF-8 JSON：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Shapefile encoding {encoding} is not supported (use UTF-8 or GBK).</source>
        <translation>不支持 Shapefile 编码 {encoding}（请使用 UTF-8 或 GBK）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The Shapefile writer did not produce {path}.</source>
        <translation>Shapefile 写出程序未生成 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the Shapefile export in {folder}: {reason}</source>
        <translation>无法在 {folder} 中写出 Shapefile 导出数据：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The export holds no drainage (PS) segments, so there is no SWMM model to write (segment categories in the export: {have}).</source>
        <translation>导出数据中没有排水（PS）管线段，因此无法写出 SWMM 模型（导出数据中的管线段类别：{have}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>None of the {n} drainage segments joins two different nodes: there is no SWMM model to write.</source>
        <translation>{n} 条排水管线段中没有一条连接两个不同的节点：无法写出 SWMM 模型。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The values of table {table} are so full of commas, semicolons and tabs that no delimiter can be read back reliably.</source>
        <translation>表 {table} 的值中含有过多的逗号、分号和制表符，无论使用哪种分隔符都无法可靠地读回。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown table format {fmt!r}: use csv or xlsx.</source>
        <translation>未知的表格格式 {fmt!r}：请使用 csv 或 xlsx。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{encoding} cannot encode some characters; export the tables as UTF-8 or change the values. First ones: {problems}</source>
        <translation>{encoding} 无法表示部分字符；请以 UTF-8 导出表格，或修改这些值。前几处：{problems}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown table encoding {encoding!r}: use UTF-8 or GBK.</source>
        <translation>未知的表格编码 {encoding!r}：请使用 UTF-8 或 GBK。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Table {table}: a value in the row of {ident!r} contains a NUL character, which a CSV table cannot carry.</source>
        <translation>表 {table}：{ident!r} 所在行的某个值含有 NUL 字符，CSV 表格无法容纳该字符。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Table {table}: a value in the row of {ident!r} holds a control character that a spreadsheet cannot carry; export as CSV.</source>
        <translation>表 {table}：{ident!r} 所在行的某个值含有电子表格无法容纳的控制字符；请导出为 CSV。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file name stem {name!r} is not usable: use letters, digits, '-' or '_' (no folders, no leading dot).</source>
        <translation>文件主名 {name!r} 不可用：请使用字母、数字、'-' 或 '_'（不能含文件夹，不能以点开头）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} records no coordinate reference system; nothing can be exported with a position.</source>
        <translation>综合图 {path} 未记录坐标参考系；无法导出任何带位置的数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} records an invalid schema version {value!r}.</source>
        <translation>综合图 {path} 记录的数据模型版本 {value!r} 无效。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} cannot be read: {reason}</source>
        <translation>无法读取综合图 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is damaged or not a GeoPackage: {reason}.</source>
        <translation>{path} 已损坏或不是 GeoPackage：{reason}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>ELEVATION_MEANS must be one of {choices}, not {value!r}.</source>
        <translation>ELEVATION_MEANS 必须是 {choices} 之一，而不是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>COORDINATE_SCALE must be a positive number, not {value}.</source>
        <translation>COORDINATE_SCALE 必须为正数，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>DEFAULT_COVER_M must lie between 0 and 20 m, not {value}.</source>
        <translation>DEFAULT_COVER_M 必须在 0 至 20 m 之间，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The model {path} holds no nodes or links with coordinates: nothing to import.</source>
        <translation>模型 {path} 中没有带坐标的节点或管段：没有可导入的数据。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown category {category!r}: use a CJJ 61 code (PS, YS, WS, HS, JS...) or a name such as storm, sewage, combined, drainage or water.</source>
        <translation>未知的管线类别 {category!r}：请使用 CJJ 61 代码（PS、YS、WS、HS、JS 等）或 storm、sewage、combined、drainage、water 等名称。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot tell whether {path} is a SWMM or an EPANET model: it has neither [CONDUITS]/[XSECTIONS] nor [PIPES]/[RESERVOIRS]/[TANKS].</source>
        <translation>无法判断 {path} 是 SWMM 模型还是 EPANET 模型：其中既没有 [CONDUITS]/[XSECTIONS]，也没有 [PIPES]/[RESERVOIRS]/[TANKS]。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The model file {path} does not exist.</source>
        <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not a SWMM or EPANET input file: it has no [SECTION] headers.</source>
        <translation>{path} 不是 SWMM 或 EPANET 输入文件：其中没有 [SECTION] 节标题。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The model file {path} cannot be read: {reason}</source>
        <translation>无法读取模型文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PostGIS map string has an unterminated {quote} quote.</source>
        <translation>PostGIS 综合图连接字符串中有未闭合的 {quote} 引号。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PostGIS map string has an empty table=.</source>
        <translation>PostGIS 综合图连接字符串中的 table= 为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The port {port!r} in the PostGIS map string is not a number.</source>
        <translation>PostGIS 综合图连接字符串中的端口 {port!r} 不是数字。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map's schema name is empty.</source>
        <translation>综合图的模式名为空。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema name {schema!r} contains a NUL character.</source>
        <translation>模式名 {schema!r} 含有 NUL 字符。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema name {schema!r} is longer than PostgreSQL's {n} bytes (UTF-8).</source>
        <translation>模式名 {schema!r} 超过了 PostgreSQL 的 {n} 字节上限（UTF-8）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema {schema!r} cannot hold a map (reserved by PostgreSQL or PostGIS); choose another name.</source>
        <translation>模式 {schema!r} 不能用于存放综合图（为 PostgreSQL 或 PostGIS 所保留）；请换一个名称。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot read the PostGIS map string near {near!r}: write key=value pairs such as service=NAME schema=NAME.</source>
        <translation>无法解析 PostGIS 综合图连接字符串中 {near!r} 附近的内容：请写成 key=value 键值对，如 service=NAME schema=NAME。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown sslmode {mode!r} in the PostGIS map string (use one of {modes}).</source>
        <translation>PostGIS 综合图连接字符串中的 sslmode {mode!r} 未知（请使用 {modes} 之一）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PostGIS map {map} names no schema: add schema=NAME (a map is a schema).</source>
        <translation>PostGIS 综合图 {map} 未指定模式：请添加 schema=NAME（一个综合图就是一个模式）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>PostGIS maps need the Python package psycopg2 (Debian/Ubuntu: apt install python3-psycopg2; elsewhere: pip install psycopg2-binary).</source>
        <translation>PostGIS 综合图需要 Python 包 psycopg2（Debian/Ubuntu：apt install python3-psycopg2；其他系统：pip install psycopg2-binary）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot connect to the PostGIS map {map}: {reason}{hint}</source>
        <translation>无法连接 PostGIS 综合图 {map}：{reason}{hint}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write into the PostGIS map {map}: {reason}; the map is unchanged.</source>
        <translation>无法写入 PostGIS 综合图 {map}：{reason}；综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema {schema} already exists in the database ({map}); it was left untouched. Choose another schema or allow overwriting.</source>
        <translation>数据库中已存在模式 {schema}（{map}），未作改动。请换一个模式，或允许覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema {schema} exists and is not a PipeMap map; it was left untouched (overwriting only replaces PipeMap maps).</source>
        <translation>模式 {schema} 已存在且不是 PipeMap 综合图，未作改动（覆盖只会替换 PipeMap 综合图）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No free SRID is left for a custom CRS in spatial_ref_sys ({lo}-{hi}).</source>
        <translation>spatial_ref_sys 中已没有可供自定义坐标参考系使用的空闲 SRID（{lo}-{hi}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PostGIS map {map} does not exist (no schema {schema}).</source>
        <translation>PostGIS 综合图 {map} 不存在（没有模式 {schema}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema {schema} is not a PipeMap map (no pipemap_metadata table).</source>
        <translation>模式 {schema} 不是 PipeMap 综合图（缺少 pipemap_metadata 表）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {map} has schema version {found}; this PipeMap understands up to {known}. Update PipeMap to open it.</source>
        <translation>综合图 {map} 的数据模型版本为 {found}，本版 PipeMap 最高支持 {known}。请升级 PipeMap 后再打开。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The PostGIS map {map} has schema version {found}; PipeMap {known} has no upgrade path for PostGIS maps yet: transfer it to a GeoPackage, upgrade it there and transfer it back.</source>
        <translation>PostGIS 综合图 {map} 的数据模型版本为 {found}；PipeMap {known} 尚不支持升级 PostGIS 综合图：请先将其转存为 GeoPackage，在 GeoPackage 中升级后再转存回去。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{table} is not a versioned layer of the map.</source>
        <translation>{table} 不是综合图中的版本化图层。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Nothing to change in {table} {feature}.</source>
        <translation>{table} {feature} 没有需要修改的内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The database has no PostGIS and it cannot be added here ({reason}): ask its owner to run CREATE EXTENSION postgis.</source>
        <translation>数据库未安装 PostGIS，且无法在此添加（{reason}）：请数据库所有者执行 CREATE EXTENSION postgis。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map's CRS has no EPSG code and cannot be registered in spatial_ref_sys ({reason}); ask the database owner to grant INSERT on spatial_ref_sys or to register it.</source>
        <translation>综合图的坐标参考系没有 EPSG 代码，无法在 spatial_ref_sys 中注册（{reason}）；请数据库所有者授予 spatial_ref_sys 的 INSERT 权限，或由其注册该坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not create the PostGIS map {map}: {reason}</source>
        <translation>无法创建 PostGIS 综合图 {map}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map has no table {table} in schema {schema}.</source>
        <translation>综合图的模式 {schema} 中没有表 {table}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{table} has no editable column(s) {columns}.</source>
        <translation>{table} 中没有可编辑的列 {columns}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The schema {schema} is not a PipeMap map; it was left untouched.</source>
        <translation>模式 {schema} 不是 PipeMap 综合图，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not change {table} {feature}: {reason}</source>
        <translation>无法修改 {table} {feature}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>There is no {table} {feature} in the map.</source>
        <translation>综合图中没有 {table} {feature}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A geometry in the GeoPackage is not a GeoPackage blob.</source>
        <translation>GeoPackage 中有几何数据不是 GeoPackage 二进制格式（blob）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Both maps are GeoPackages ({a}, {b}): copy the file instead.</source>
        <translation>两个综合图都是 GeoPackage（{a}、{b}）：请直接复制文件。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The source and the target are the same map ({map}).</source>
        <translation>源与目标是同一个综合图（{map}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The new GeoPackage has no field {field} in {table}.</source>
        <translation>新 GeoPackage 的 {table} 中没有字段 {field}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The file {path} already exists; it was left untouched.</source>
        <translation>文件 {path} 已存在，未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not read the PostGIS map {map}: {reason}</source>
        <translation>无法读取 PostGIS 综合图 {map}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not store the map in PostGIS ({map}): {reason}; nothing was written.</source>
        <translation>无法将综合图存入 PostGIS（{map}）：{reason}；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {table} of {path} cannot be stored in PostGIS: {reason}; nothing was written.</source>
        <translation>{path} 中的表 {table} 无法存入 PostGIS：{reason}；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {table} of {path} has a value PostGIS cannot hold ({reason}); nothing was written.</source>
        <translation>{path} 中的表 {table} 含有 PostGIS 无法存储的值（{reason}）；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the findings {path}: {reason}</source>
        <translation>无法写入检查结果 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} is {size} bytes, more than the {limit} bytes of a rule table.</source>
        <translation>规则表 {path} 大小为 {size} 字节，超过了规则表的 {limit} 字节上限。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} is not valid CSV near line {line}: {reason}.</source>
        <translation>规则表 {path} 在第 {line} 行附近不是有效的 CSV：{reason}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The rule table {path} has {count} classes; PipeMap accepts at most {limit} in one table.</source>
        <translation>规则表 {path} 有 {count} 个类别；PipeMap 每个表最多接受 {limit} 个。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is a damaged zip file: {reason}</source>
        <translation>{path} 是损坏的 zip 文件：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the {what} {path}: {reason}</source>
        <translation>无法写入 {what} {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Processing step '{step}' failed{where}: {reason}</source>
        <translation>处理步骤 '{step}' 失败{where}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the radargram image {path}: {reason}</source>
        <translation>无法写入雷达剖面图像 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds {traces} traces of {samples} samples: processing needs about {need:.1f} GB of memory, but {free:.1f} GB are free. Process the line in parts (fewer traces) or free memory.</source>
        <translation>{path} 含 {traces} 道，每道 {samples} 个采样：处理约需 {need:.1f} GB 内存，但可用内存仅 {free:.1f} GB。请分段处理该测线（减少道数）或释放内存。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not record the survey in the map {path}: {reason}; the map is unchanged.</source>
        <translation>无法在综合图 {path} 中记录本次探测：{reason}；综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not upgrade the map {path}: {reason}; the map is unchanged.</source>
        <translation>无法升级综合图 {path}：{reason}；综合图未作改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} is read-only; nothing was changed.</source>
        <translation>综合图 {path} 为只读，未作任何改动。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: z_reference must be top, centre or invert (or a mapping of categories to them).</source>
        <translation>字段映射 {path}：z_reference 必须为 top、centre 或 invert（或由管线类别到这些值的映射）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The field mapping {path} does not exist (built-in mappings: default, osm).</source>
        <translation>字段映射 {path} 不存在（内置映射：default、osm）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The field mapping {path} must be a mapping of settings.</source>
        <translation>字段映射 {path} 必须是设置项的键值映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The field mapping {path}: base must be default or osm.</source>
        <translation>字段映射 {path}：base 必须为 default 或 osm。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer file {path} does not exist.</source>
        <translation>图层文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be opened as a vector data set.</source>
        <translation>无法将 {path} 作为矢量数据集打开。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Z_REFERENCE must be one of {choices}, not {value!r}.</source>
        <translation>Z_REFERENCE 必须为 {choices} 之一，而不是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} holds no point or line features to import.</source>
        <translation>{path} 中没有可导入的点要素或线要素。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: unknown unit {unit!r} for {attr} (use {choices}).</source>
        <translation>字段映射 {path}：{attr} 的单位 {unit!r} 未知（请使用 {choices}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: default_cover_m must be a number.</source>
        <translation>字段映射 {path}：default_cover_m 必须为数值。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The field mapping {path} is not valid {kind}: {reason}</source>
        <translation>字段映射 {path} 不是有效的 {kind}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown category {category!r}: use a CJJ 61 code or name (JS, PS, YS, RQ, water, gas...).</source>
        <translation>未知的管线类别 {category!r}：请使用 CJJ 61 代码或名称（JS、PS、YS、RQ、water、gas 等）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: 'fields' must map attributes to field names.</source>
        <translation>字段映射 {path}：'fields' 必须将属性映射到字段名。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} cannot be opened as a vector data set: {reason}</source>
        <translation>无法将 {path} 作为矢量数据集打开：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} has no layer {layer!r} (layers: {names}).</source>
        <translation>{path} 中没有图层 {layer!r}（现有图层：{names}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path} names an unknown attribute {attr!r} (known: {known}).</source>
        <translation>字段映射 {path} 中含有未知属性 {attr!r}（可用属性：{known}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: '{key}' must be a mapping.</source>
        <translation>字段映射 {path}：'{key}' 必须是键值映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path} has an unknown entry {key!r}.</source>
        <translation>字段映射 {path} 含有未知条目 {key!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The snapping tolerance must lie between 0 and 10 m, not {value}.</source>
        <translation>捕捉容差必须在 0 至 10 m 之间，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown node type {name!r}: use one of {choices}.</source>
        <translation>未知的节点类型 {name!r}：请使用 {choices} 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is not an integrated map (no {layer} layer).</source>
        <translation>{path} 不是管线综合图（缺少 {layer} 图层）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown category {category!r}: use a CJJ 61 code ({choices}).</source>
        <translation>未知的管线类别 {category!r}：请使用 CJJ 61 代码（{choices}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No segment {edge} in the {category} network.</source>
        <translation>{category} 管网中没有管线段 {edge}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No {what} pipe lies within {distance} m of ({x:.2f}, {y:.2f}).</source>
        <translation>({x:.2f}, {y:.2f}) 周围 {distance} m 范围内没有 {what} 管线。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The {category} network has no source (plant, water tower, pump station, regulator): the largest part left after the closure is taken as still supplied.</source>
        <translation>{category} 管网中没有供应源（水厂/气源厂、水塔、泵站、调压站）：关阀后剩余的最大连通部分视为仍在供给。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The source(s) {ids} inside the isolated area cannot be shut: the area stays under pressure.</source>
        <translation>隔离区域内的供应源 {ids} 无法关停：该区域仍将带压。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>No valve or source bounds the failure on {seg_id}: the whole connected {category} network is affected and no valve can isolate it.</source>
        <translation>管线段 {seg_id} 上的事故点周围没有可界定隔离范围的阀门或供应源：整个连通的 {category} 管网均受影响，无法通过关阀隔离。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{n} valves to operate: they are ordered by straight-line distance (network distances are worked out for at most {most}).</source>
        <translation>需操作 {n} 个阀门：按直线距离排序（最多只为 {most} 个阀门计算管网距离）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{category} is not a pressure network: isolation works on {choices}.</source>
        <translation>{category} 不是压力管网：关阀隔离仅适用于 {choices}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{param}: {ids} are not valves or sources on the {category} network; ignored.</source>
        <translation>{param}：{ids} 不是 {category} 管网上的阀门或供应源，已忽略。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Unknown trace direction {value!r}: use one of {choices}.</source>
        <translation>未知的追踪方向 {value!r}：请使用 {choices} 之一。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>A trace starts from one segment or one node.</source>
        <translation>追踪须从一条管线段或一个节点开始。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The check could not read the PostGIS map {map}: {reason}</source>
        <translation>检查无法读取 PostGIS 综合图 {map}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The {what} {feature} was changed by {who} at {when} (it is now at version {version}); your edit was based on version {expected} and was refused, nothing was written. Reload the {what} and make the edit again.</source>
        <translation>{what} {feature} 已由 {who} 于 {when} 修改（当前版本为 {version}）；您的编辑基于版本 {expected}，已被拒绝，未写入任何内容。请重新加载该{what}后再次编辑。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} does not record a valid coordinate reference system (crs_wkt in its pipemap_metadata table).</source>
        <translation>综合图 {path} 没有记录有效的坐标参考系（pipemap_metadata 表中的 crs_wkt）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path} is named like a table but is not a readable file (a broken link, a folder or a device); nothing was imported.</source>
        <translation>{path} 的名称像表格文件，但不是可读取的文件（失效链接、文件夹或设备）；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path} is too large to be a profile ({size} bytes).</source>
        <translation>导入配置 {path} 过大（{size} 字节），不是有效的导入配置。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The import profile {path}: base must be 'zh' or 'en', not {value!r}.</source>
        <translation>导入配置 {path}：base 必须为 'zh' 或 'en'，而不是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The table {path} cannot be read: {reason}</source>
        <translation>无法读取表格 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} is not a valid XLSX/ODS file (a damaged zip): {reason}</source>
        <translation>电子表格 {path} 不是有效的 XLSX/ODS 文件（zip 已损坏）：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} unpacks to {unpacked} bytes from {size} bytes (a zip bomb?); PipeMap reads spreadsheets that unpack to at most {ratio} times their size and {limit} bytes. Save it as CSV.</source>
        <translation>电子表格 {path} 由 {size} 字节解压后达 {unpacked} 字节（疑似 zip 炸弹？）；PipeMap 只读取解压后不超过原大小 {ratio} 倍且不超过 {limit} 字节的电子表格。请将其另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The spreadsheet {path} declares XML entities or a DOCTYPE in {part}, which spreadsheets never do; it is refused (entity expansion attack?).</source>
        <translation>电子表格 {path} 在 {part} 中声明了 XML 实体或 DOCTYPE，正常的电子表格不会这样做；已拒绝读取（疑似实体扩展攻击？）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} is locked: another program is writing to it. Nothing was changed; try again when it has finished (save or discard the edits there).</source>
        <translation>综合图 {path} 已被锁定：另一个程序正在写入。未作任何改动；请在其完成后重试（先在那里保存或放弃编辑）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The map {path} does not record a valid coordinate reference system (crs_authid, crs_wkt in its pipemap_metadata table).</source>
        <translation>综合图 {path} 未记录有效的坐标参考系（其 pipemap_metadata 表中的 crs_authid、crs_wkt）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the share package {path}{what}: {reason}; nothing was written.</source>
        <translation>无法写入共享数据包 {path}{what}：{reason}；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Cannot write the share package {path}: the folder {folder} is not writable ({reason}).</source>
        <translation>无法写入共享数据包 {path}：文件夹 {folder} 不可写（{reason}）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not write the Shapefile {path}: the file is incomplete (disk full?).</source>
        <translation>无法写入 Shapefile {path}：文件不完整（磁盘已满？）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The coordinates of {path} cannot be transformed from {source} into the map's CRS: {reason}. Give the data's CRS.</source>
        <translation>{path} 的坐标无法由 {source} 转换到综合图的坐标参考系：{reason}。请给定数据的坐标参考系。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: {what}.</source>
        <translation>字段映射 {path}：{what}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: default_cover_m must lie between 0 and 20 m, not {value}.</source>
        <translation>字段映射 {path}：default_cover_m 必须在 0 至 20 m 之间，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The field mapping {path} is too large to be a mapping ({size} bytes).</source>
        <translation>字段映射 {path} 过大（{size} 字节），不是有效的字段映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: values of {attr!r} must be a mapping of source values to codes.</source>
        <translation>字段映射 {path}：{attr!r} 的 values 必须是源值到代码的映射。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer file {path} declares XML entities or an external DTD{where}, which data files never need; it is refused (an entity expansion or external entity attack?).</source>
        <translation>图层文件 {path}{where} 声明了 XML 实体或外部 DTD，正常的数据文件不需要这些；已拒绝读取（疑似实体扩展或外部实体攻击？）。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>{path}: layer {layer} cannot be read: {reason}</source>
        <translation>{path}：无法读取图层 {layer}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The layer file {path} cannot be read: {reason}</source>
        <translation>无法读取图层文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: its where clause {where!r} is not an OGR SQL expression over the fields of layer {layer}: {reason}</source>
        <translation>字段映射 {path}：其 where 条件 {where!r} 不是针对图层 {layer} 字段的 OGR SQL 表达式：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The mapping {path}: its where clause {where!r} does not work on layer {layer}: {reason}</source>
        <translation>字段映射 {path}：其 where 条件 {where!r} 不适用于图层 {layer}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The connection to the PostGIS map {map} was lost ({reason}); the database rolled the unfinished transaction back: the map is unchanged. Try again when the database can be reached.</source>
        <translation>与 PostGIS 综合图 {map} 的连接已中断（{reason}）；数据库已回滚未完成的事务：综合图未改变。请在数据库可访问后重试。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The connection to the PostGIS map {map} was lost while the change was being committed ({reason}): the database may or may not have stored it. Open the map to see which before trying again.</source>
        <translation>提交更改时与 PostGIS 综合图 {map} 的连接中断（{reason}）：数据库可能已保存、也可能未保存该更改。请先打开综合图查看，再决定是否重试。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>The connection to the PostGIS map {map} was lost while it was being read ({reason}); nothing was written. Try again when the database can be reached.</source>
        <translation>读取 PostGIS 综合图 {map} 时连接中断（{reason}）；未写入任何内容。请在数据库可访问后重试。</translation>
    </message>
    <message>
        <location filename="../processing/error_messages.py" line="8" />
        <source>Could not drop the PostGIS map {map}: {reason}</source>
        <translation>无法删除 PostGIS 综合图 {map}：{reason}</translation>
    </message>
</context>
<context>
    <name>PipeMapIdentify</name>
    <message>
        <location filename="../plugin/identify.py" line="141" />
        <source>Pipe</source>
        <translation>管线</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="133" />
        <source>The clearances could not be computed:</source>
        <translation>无法计算净距：</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="134" />
        <source>Cover</source>
        <translation>覆土</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="135" />
        <source>Unknown: choose the ground DEM in the Map section.</source>
        <translation>未知：请在“综合图”栏中选择地面 DEM。</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="136" />
        <source>{verdict}: cover {cover} m, required {required} m ({surface}).</source>
        <translation>{verdict}：覆土 {cover} m，要求 {required} m（{surface}）。</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="138" />
        <source>Clearances to neighbouring pipes</source>
        <translation>与相邻管线的净距</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="139" />
        <source>No other pipe within reach.</source>
        <translation>附近没有其他管线。</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="141" />
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="141" />
        <source>Clearance (m)</source>
        <translation>净距（m）</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="141" />
        <source>Required (m)</source>
        <translation>要求值（m）</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="141" />
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="224" />
        <source>No pipe here: click on a pipe of the open map.</source>
        <translation>此处没有管线：请单击已打开综合图中的管线。</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="234" />
        <source>Computing clearances…</source>
        <translation>正在计算净距…</translation>
    </message>
    <message>
        <location filename="../plugin/identify.py" line="259" />
        <source>PipeMap: clearances of {id}</source>
        <translation>PipeMap：{id} 的净距</translation>
    </message>
</context>
<context>
    <name>PipeMapPlugin</name>
    <message>
        <location filename="../plugin/main.py" line="47" />
        <source>&amp;PipeMap</source>
        <translation>管线综合图(&amp;P)</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="49" />
        <source>PipeMap</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="52" />
        <source>Create integrated map…</source>
        <translation>创建管线综合图…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="52" />
        <source>Create an empty integrated map (GeoPackage) with the CJJ 61 data model</source>
        <translation>按 CJJ 61 数据模型创建空的管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="80" />
        <source>PipeMap help</source>
        <translation>PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="80" />
        <source>Open the PipeMap help</source>
        <translation>打开 PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="58" />
        <source>Import survey tables…</source>
        <translation>导入探测成果表…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="58" />
        <source>Import CJJ 61 point and segment result tables into an integrated map</source>
        <translation>将 CJJ 61 管线点和管线段成果表导入管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="63" />
        <source>Build 3D pipes…</source>
        <translation>生成三维管线…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="63" />
        <source>Build true-size 3D pipes and wells from an integrated map</source>
        <translation>由管线综合图生成真实尺寸的三维管线和窨井</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="68" />
        <source>Show pipes in 3D</source>
        <translation>三维显示管线</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="68" />
        <source>Colour the project's 3D pipe layers by category and open a 3D map view</source>
        <translation>按管线类别为工程中的三维管线图层着色，并打开三维地图视图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="74" />
        <source>Profile drawing…</source>
        <translation>断面图…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="74" />
        <source>Longitudinal profile along a run or cross-section along a line</source>
        <translation>沿连通管段的纵断面图或沿断面线的横断面图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="152" />
        <source>No 3D pipe layer in the project: run “Build 3D pipes” first.</source>
        <translation>工程中没有三维管线图层：请先运行“生成三维管线”。</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="155" />
        <source>{n} pipe layer(s) coloured by category in 3D.</source>
        <translation>已按管线类别为 {n} 个三维管线图层着色。</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="158" />
        <source>Open View › New 3D Map View to see them.</source>
        <translation>请通过 视图 › 新建 3D 地图视图 查看。</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="99" />
        <source>PipeMap workbench</source>
        <translation>PipeMap 工作台</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="100" />
        <source>Show the PipeMap panel: map, GPR, checks, sharing and 3D</source>
        <translation>显示 PipeMap 面板：综合图、探地雷达、检查、数据共享和三维</translation>
    </message>
</context>
<context>
    <name>PipeMapProvider</name>
    <message>
        <location filename="../processing/provider.py" line="50" />
        <source>PipeMap underground pipeline map {version}</source>
        <translation>PipeMap 地下管线综合图 {version}</translation>
    </message>
</context>
<context>
    <name>PipeMapResults</name>
    <message>
        <location filename="../plugin/results.py" line="69" />
        <source>{n} pipes cross the section.</source>
        <translation>有 {n} 条管线穿过该断面。</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="84" />
        <source>PipeMap: cross-section</source>
        <translation>PipeMap：横断面图</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="85" />
        <source>Cross-section</source>
        <translation>横断面图</translation>
    </message>
    <message>
        <location filename="../plugin/results.py" line="74" />
        <source>Drawing written: {path}</source>
        <translation>已写出图件：{path}</translation>
    </message>
</context>
<context>
    <name>PipeMapWorkbench</name>
    <message>
        <location filename="../plugin/widgets.py" line="52" />
        <source>Help: {page}</source>
        <translation>帮助：{page}</translation>
    </message>
</context>
<context>
    <name>ProfileAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/profile.py" line="44" />
        <source>Profile drawing (longitudinal or cross-section)</source>
        <translation>断面图（纵断面图或横断面图）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="47" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="62" />
        <source>Drawing</source>
        <translation>断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="50" />
        <source>Longitudinal profile along a run</source>
        <translation>沿连通管段的纵断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="50" />
        <source>Cross-section along a line</source>
        <translation>沿断面线的横断面图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="53" />
        <source>Run from point number</source>
        <translation>纵断面起点管线点号</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="55" />
        <source>Run to point number</source>
        <translation>纵断面终点管线点号</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="57" />
        <source>Run category code (e.g. PS)</source>
        <translation>纵断面管线类别代码（如 PS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="59" />
        <source>Section line</source>
        <translation>断面线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="61" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="62" />
        <source>PNG (*.png);;SVG (*.svg);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="64" />
        <source>Also write the other formats (PNG, SVG, PDF)</source>
        <translation>同时输出其他格式（PNG、SVG、PDF）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="66" />
        <source>Figures (JSON)</source>
        <translation>图形数据（JSON）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="78" />
        <source>The DEM must be in the map's CRS ({crs}).</source>
        <translation>DEM 必须采用综合图的坐标参考系（{crs}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="84" />
        <source>A longitudinal profile needs FROM_POINT and TO_POINT.</source>
        <translation>纵断面图需要指定 FROM_POINT 和 TO_POINT。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="92" />
        <source>A cross-section needs a SECTION line.</source>
        <translation>横断面图需要指定 SECTION 断面线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="100" />
        <source>{n} pipes cross the section.</source>
        <translation>有 {n} 条管线穿过该断面。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/profile.py" line="104" />
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
<context>
    <name>ProfilesSection</name>
    <message>
        <location filename="../plugin/section_profiles.py" line="40" />
        <source>A longitudinal profile along the pipes between two points: type their numbers, or use the Profile tool and click the two points on the map. The Section tool draws a cross-section along a line.</source>
        <translation>沿两个管线点之间的管线绘制纵断面图：输入两点的点号，或使用“纵断面”工具在地图上单击这两个点。“断面”工具可沿一条线绘制横断面图。</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="48" />
        <source>From point</source>
        <translation>起点</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="49" />
        <source>To point</source>
        <translation>终点</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="51" />
        <source>(the first point's)</source>
        <translation>（同起点）</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="55" />
        <source>Category</source>
        <translation>管线类别</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="120" />
        <source>Longitudinal profile</source>
        <translation>纵断面图</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="72" />
        <source>No pipe point here: click on a point of the open map.</source>
        <translation>此处没有管线点：请单击已打开综合图中的管线点。</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="108" />
        <source>Give the numbers of the two points.</source>
        <translation>请给定两个管线点的点号。</translation>
    </message>
    <message>
        <location filename="../plugin/section_profiles.py" line="119" />
        <source>PipeMap: longitudinal profile {a} – {b}</source>
        <translation>PipeMap：纵断面图 {a} – {b}</translation>
    </message>
</context>
<context>
    <name>RadargramPanel</name>
    <message>
        <location filename="../plugin/radargram.py" line="313" />
        <source>trace {n}</source>
        <translation>第 {n} 道</translation>
    </message>
    <message>
        <location filename="../plugin/radargram.py" line="316" />
        <source>{d} m along the line</source>
        <translation>沿测线 {d} m</translation>
    </message>
    <message>
        <location filename="../plugin/radargram.py" line="321" />
        <source>{t} ns, depth {z} m at {v} m/ns</source>
        <translation>{t} ns，深度 {z} m（速度 {v} m/ns）</translation>
    </message>
</context>
<context>
    <name>RadargramView</name>
    <message>
        <location filename="../plugin/radargram.py" line="215" />
        <source>Open a GPR file to see its radargram here.</source>
        <translation>打开探地雷达文件后，将在此显示其雷达剖面。</translation>
    </message>
    <message>
        <location filename="../plugin/radargram.py" line="259" />
        <source>time (ns)</source>
        <translation>时间（ns）</translation>
    </message>
    <message>
        <location filename="../plugin/radargram.py" line="264" />
        <source>distance (m)</source>
        <translation>距离（m）</translation>
    </message>
    <message>
        <location filename="../plugin/radargram.py" line="270" />
        <source>trace</source>
        <translation>道号</translation>
    </message>
</context>
<context>
    <name>Render3DAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="42" />
        <source>Render 3D view of pipes</source>
        <translation>渲染管线三维视图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="49" />
        <source>3D pipe layers (from build3d) or pipe segments</source>
        <translation>三维管线图层（由 build3d 生成）或管线段图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="52" />
        <source>Ground DEM</source>
        <translation>地面 DEM</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Terrain (with a DEM: seen through)</source>
        <translation>地形（使用 DEM 时半透明显示）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Off</source>
        <translation>不显示</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>Flat</source>
        <translation>平面</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="53" />
        <source>DEM, see-through</source>
        <translation>DEM（半透明）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="56" />
        <source>Image width (px)</source>
        <translation>图像宽度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="59" />
        <source>Image height (px)</source>
        <translation>图像高度（像素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="62" />
        <source>Camera pitch (degrees, 0 = straight down)</source>
        <translation>相机俯仰角（度，0 = 垂直向下）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="65" />
        <source>Camera heading (degrees)</source>
        <translation>相机方位角（度）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="68" />
        <source>Area to show (default: all layers)</source>
        <translation>显示范围（默认：全部图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="70" />
        <source>3D view (PNG)</source>
        <translation>三维视图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="70" />
        <source>PNG (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="77" />
        <source>No valid vector layer to render.</source>
        <translation>没有可渲染的有效矢量图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="88" />
        <source>The DEM terrain needs a GROUND raster.</source>
        <translation>DEM 地形需要指定 GROUND 栅格图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="103" />
        <source>The 3D view could not be rendered: {reason}</source>
        <translation>无法渲染三维视图：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/render_3d.py" line="105" />
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
<context>
    <name>SharingSection</name>
    <message>
        <location filename="../plugin/section_sharing.py" line="60" />
        <source>Sharing profile</source>
        <translation>共享配置</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="64" />
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="69" />
        <source>category codes, e.g. JS,RQ (empty: all)</source>
        <translation>管线类别代码，如 JS,RQ（留空：全部）</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="70" />
        <source>Categories</source>
        <translation>管线类别</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="72" />
        <source>Only what the map view shows</source>
        <translation>仅限当前地图视图范围</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="73" />
        <source>Extent</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="77" />
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="78" />
        <source>Replace an existing package</source>
        <translation>替换已有数据包</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="84" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="87" />
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="99" />
        <source>Manifest</source>
        <translation>清单项</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="99" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="124" />
        <source>Sharing needs the algorithm {id}, which this PipeMap installation does not have.</source>
        <translation>数据共享需要算法 {id}，但当前安装的 PipeMap 中没有该算法。</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="127" />
        <source>Export the open map as a share package: the profile decides which fields and features leave; a manifest lists everything written.</source>
        <translation>将已打开的综合图导出为共享数据包：由共享配置决定导出哪些字段和要素；清单列出写出的全部内容。</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="164" />
        <source>Choose the output folder of the package.</source>
        <translation>请选择数据包的输出文件夹。</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="168" />
        <source>Choose at least one format.</source>
        <translation>请至少选择一种格式。</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="201" />
        <source>Export share package</source>
        <translation>导出共享数据包</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="206" />
        <source>The export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="212" />
        <source>Share package written: {path}</source>
        <translation>已写出共享数据包：{path}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="220" />
        <source>The manifest could not be read: {error}</source>
        <translation>无法读取清单：{error}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="236" />
        <source>Profile: {name}</source>
        <translation>共享配置：{name}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="240" />
        <source>Formats: {names}</source>
        <translation>格式：{names}</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_sharing.py" line="242" />
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln 个文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_sharing.py" line="242" />
        <source>%Ln feature(s)</source>
        <translation>
            <numerusform>%Ln 个要素</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="248" />
        <source>{layer}: {n}</source>
        <translation>{layer}：{n}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="251" />
        <source>Withheld:</source>
        <translation>未导出：</translation>
    </message>
    <message numerus="yes">
        <location filename="../plugin/section_sharing.py" line="256" />
        <source>%n warning(s), see the manifest</source>
        <translation>
            <numerusform>%n 条警告，详见清单</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="276" />
        <source>Export a package first.</source>
        <translation>请先导出数据包。</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="281" />
        <source>Verifying the package</source>
        <translation>校验数据包</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="284" />
        <source>Package verified. {results}</source>
        <translation>数据包校验通过。{results}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="285" />
        <source>Verified: {results}</source>
        <translation>校验结果：{results}</translation>
    </message>
    <message>
        <location filename="../plugin/section_sharing.py" line="287" />
        <source>Verify share package</source>
        <translation>校验共享数据包</translation>
    </message>
</context>
<context>
    <name>TopologyCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="42" />
        <source>Network topology check</source>
        <translation>管网拓扑检查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="46" />
        <source>Categories (none: every category in the map)</source>
        <translation>管线类别（不选：综合图中的全部类别）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="50" />
        <source>Same depth: crossing centrelines closer than the radii plus this (m)</source>
        <translation>同一深度判定：交叉管线中心线间距小于两管半径之和加此值（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="53" />
        <source>Topology findings</source>
        <translation>拓扑检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="55" />
        <source>Segments named by the findings</source>
        <translation>检查结果涉及的管线段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="58" />
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="58" />
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="58" />
        <source>Findings</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="69" />
        <source>The map has no segments of the chosen categories: nothing was checked.</source>
        <translation>综合图中没有所选管线类别的管线段：未作检查。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="80" />
        <source>Could not create the output layer.</source>
        <translation>无法创建输出图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="87" />
        <source>a finding</source>
        <translation>检查结果要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="112" />
        <source>a segment</source>
        <translation>管线段要素</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="117" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/topology_check.py" line="118" />
        <source>{n} findings ({e} errors, {w} warnings): {counts}.</source>
        <translation>共 {n} 个问题（{e} 个错误，{w} 个警告）：{counts}。</translation>
    </message>
</context>
<context>
    <name>TraceAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/trace.py" line="42" />
        <source>Network trace (upstream, downstream, connected)</source>
        <translation>管网追踪（上游、下游、连通）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="46" />
        <source>Start point (the nearest pipe)</source>
        <translation>起始点（取最近的管线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="48" />
        <source>Start segment id or point number (instead of START)</source>
        <translation>起始管线段编号或管线点号（代替 START）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="50" />
        <source>Category</source>
        <translation>管线类别</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="50" />
        <source>auto (the nearest pipe)</source>
        <translation>自动（最近的管线）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="54" />
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="54" />
        <source>upstream</source>
        <translation>上游</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="54" />
        <source>downstream</source>
        <translation>下游</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="54" />
        <source>connected</source>
        <translation>连通</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="57" />
        <source>Stop at node types</source>
        <translation>在以下类型节点处停止</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="59" />
        <source>Closed valves (point numbers, comma-separated)</source>
        <translation>已关闭阀门（管线点号，以逗号分隔）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="62" />
        <source>Traced segments</source>
        <translation>追踪到的管线段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="64" />
        <source>Traced nodes</source>
        <translation>追踪到的节点</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="66" />
        <source>Segments traced</source>
        <translation>已追踪管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="66" />
        <source>Nodes reached</source>
        <translation>到达节点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="66" />
        <source>Stops</source>
        <translation>停止点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="66" />
        <source>Length traced (m)</source>
        <translation>追踪长度（m）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="69" />
        <source>Category traced</source>
        <translation>追踪的管线类别</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="78" />
        <source>Give a START point or a START_ID (segment id or point number).</source>
        <translation>请给定 START 起始点或 START_ID（管线段编号或管线点号）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="90" />
        <source>No segment or point {id} in the {what} network(s).</source>
        <translation>{what}管网中没有管线段或管线点 {id}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="90" />
        <source>map's</source>
        <translation>综合图的</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="101" />
        <source>No {what} pipe lies within {d} m of the START point.</source>
        <translation>START 起始点 {d} m 范围内没有{what}管线。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="101" />
        <source>map</source>
        <translation>综合图中的</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="104" />
        <source>Start: segment {seg} ({cat}), {d:.2f} m from the point.</source>
        <translation>起始：管线段 {seg}（{cat}），距该点 {d:.2f} m。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="113" />
        <source>CLOSED_VALVES: {ids} are on no node of the {cat} network; ignored.</source>
        <translation>CLOSED_VALVES：{ids} 不在 {cat} 管网的任何节点上，已忽略。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="117" />
        <source>Flow direction from: {basis}.</source>
        <translation>流向依据：{basis}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/trace.py" line="127" />
        <source>{n} segments ({m:.1f} m) and {k} nodes traced; {s} stops.</source>
        <translation>已追踪 {n} 条管线段（{m:.1f} m）和 {k} 个节点；停止点 {s} 个。</translation>
    </message>
</context>
<context>
    <name>TransferAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="39" />
        <source>Transfer integrated map (GeoPackage / PostGIS)</source>
        <translation>转存管线综合图（GeoPackage / PostGIS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="42" />
        <source>Map to copy (GeoPackage, or PostGIS: service=NAME schema=NAME)</source>
        <translation>要复制的综合图（GeoPackage，或 PostGIS：service=NAME schema=NAME）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="45" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="45" />
        <source>New map (GeoPackage, or PostGIS: service=NAME schema=NAME)</source>
        <translation>新综合图（GeoPackage，或 PostGIS：service=NAME schema=NAME）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="48" />
        <source>Replace an existing map</source>
        <translation>替换已有综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="50" />
        <source>The new map (as MAP for other algorithms)</source>
        <translation>新综合图（可作为其他算法的 MAP）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="51" />
        <source>Points copied</source>
        <translation>已复制管线点数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="52" />
        <source>Segments copied</source>
        <translation>已复制管线段数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="60" />
        <source>No map to copy was given.</source>
        <translation>未指定要复制的综合图。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="62" />
        <source>No new map was given.</source>
        <translation>未指定新综合图。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/transfer.py" line="69" />
        <source>Copied {source} to {target} in {s:.1f} s: {p} points, {n} segments.</source>
        <translation>已将 {source} 复制到 {target}，用时 {s:.1f} s：{p} 个管线点，{n} 条管线段。</translation>
    </message>
</context>
<context>
    <name>VerifyExportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="28" />
        <source>Verify a share package</source>
        <translation>校验共享数据包</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="34" />
        <source>Share package (folder with manifest.json, or its .zip)</source>
        <translation>共享数据包（含 manifest.json 的文件夹，或其 .zip 文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="34" />
        <source>Share package (*.zip manifest.json)</source>
        <translation>共享数据包 (*.zip manifest.json)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="37" />
        <source>Package intact</source>
        <translation>数据包完好</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="38" />
        <source>Files checked</source>
        <translation>已校验文件数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="39" />
        <source>Problems</source>
        <translation>问题数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="48" />
        <source>Package: {path}</source>
        <translation>数据包：{path}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="49" />
        <source>Written by {software} at {time}; sharing profile {profile}; formats {formats}.</source>
        <translation>由 {software} 于 {time} 写出；共享配置 {profile}；格式 {formats}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="61" />
        <source>The package {path} does not match its manifest ({n} problems): it is refused.</source>
        <translation>数据包 {path} 与其清单不符（{n} 个问题）：已拒绝。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/verify_export.py" line="64" />
        <source>OK: all {n} files match the manifest (size and SHA-256).</source>
        <translation>OK：全部 {n} 个文件均与清单一致（大小和 SHA-256）。</translation>
    </message>
</context>
<context>
    <name>View3DSection</name>
    <message>
        <location filename="../plugin/section_3d.py" line="37" />
        <source>True-size pipes and wells from the open map; the ground is drawn see-through so the pipes show below it.</source>
        <translation>由已打开的综合图生成真实尺寸的管线和窨井；地面以半透明方式绘制，以便看到其下方的管线。</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="130" />
        <source>Build 3D pipes</source>
        <translation>生成三维管线</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="45" />
        <source>Open 3D view</source>
        <translation>打开三维视图</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="57" />
        <source>Camera pitch</source>
        <translation>相机俯仰角</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="58" />
        <source>Ground DEM seen through</source>
        <translation>地面 DEM 半透明显示</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="61" />
        <source>Only what the map view shows</source>
        <translation>仅限当前地图视图范围</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="66" />
        <source>Render view</source>
        <translation>渲染视图</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="87" />
        <source>Building the 3D pipes</source>
        <translation>生成三维管线</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="99" />
        <source>3D wells</source>
        <translation>三维窨井</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="99" />
        <source>3D pipes</source>
        <translation>三维管线</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="105" />
        <source>Built {pipes} 3D pipes and {wells} wells.</source>
        <translation>已生成 {pipes} 条三维管线和 {wells} 个窨井。</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="114" />
        <source>No 3D pipe layer in the project yet: build the 3D pipes first.</source>
        <translation>工程中尚无三维管线图层：请先生成三维管线。</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="116" />
        <source>This QGIS has no 3D map view; use Render view instead.</source>
        <translation>此 QGIS 不支持三维地图视图；请改用“渲染视图”。</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="141" />
        <source>Render 3D view</source>
        <translation>渲染三维视图</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="157" />
        <source>Rendering the 3D view</source>
        <translation>渲染三维视图</translation>
    </message>
    <message>
        <location filename="../plugin/section_3d.py" line="161" />
        <source>3D view rendered: {path}</source>
        <translation>已渲染三维视图：{path}</translation>
    </message>
</context>
</TS>