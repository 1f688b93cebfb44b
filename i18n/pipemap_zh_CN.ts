<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>CreateMapAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="42" />
        <source>Create integrated map</source>
        <translation>创建管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="45" />
        <source>Integrated map (GeoPackage)</source>
        <translation>管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="45" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="50" />
        <source>Coordinate reference system</source>
        <translation>坐标参考系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="53" />
        <source>Overwrite an existing file</source>
        <translation>覆盖已有文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="56" />
        <source>Height datum</source>
        <translation>高程基准</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="61" />
        <source>Schema version</source>
        <translation>数据模型版本</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="66" />
        <source>No output file was given for the integrated map.</source>
        <translation>未指定管线综合图的输出文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="69" />
        <source>The coordinate reference system {crs} is not valid.</source>
        <translation>坐标参考系 {crs} 无效。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="78" />
        <source>Created {path} ({crs}, schema version {version}).</source>
        <translation>已创建 {path}（{crs}，数据模型版本 {version}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_map.py" line="84" />
        <source>The map's CRS is geographic; clearance and cover checks need a projected CRS in metres.</source>
        <translation>该图的坐标参考系为地理坐标系；净距和覆土检查需要以米为单位的投影坐标系。</translation>
    </message>
</context>
<context>
    <name>PipeMapAlgorithm</name>
    <message>
        <location filename="../processing/base.py" line="91" />
        <source>Integrated map</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="92" />
        <source>Ground-penetrating radar</source>
        <translation>探地雷达</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="93" />
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="94" />
        <source>Data sharing</source>
        <translation>数据共享</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="95" />
        <source>Network</source>
        <translation>管网</translation>
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
</context>
<context>
    <name>PipeMapPlugin</name>
    <message>
        <location filename="../plugin/main.py" line="45" />
        <source>&amp;PipeMap</source>
        <translation>管线综合图(&amp;P)</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="47" />
        <source>PipeMap</source>
        <translation>管线综合图</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="50" />
        <source>Create integrated map…</source>
        <translation>创建管线综合图…</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="50" />
        <source>Create an empty integrated map (GeoPackage) with the CJJ 61 data model</source>
        <translation>按 CJJ 61 数据模型创建空的管线综合图（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="57" />
        <source>PipeMap help</source>
        <translation>PipeMap 帮助</translation>
    </message>
    <message>
        <location filename="../plugin/main.py" line="57" />
        <source>Open the PipeMap help</source>
        <translation>打开 PipeMap 帮助</translation>
    </message>
</context>
<context>
    <name>PipeMapProvider</name>
    <message>
        <location filename="../processing/provider.py" line="27" />
        <source>PipeMap underground pipeline map {version}</source>
        <translation>PipeMap 地下管线综合图 {version}</translation>
    </message>
</context>
</TS>