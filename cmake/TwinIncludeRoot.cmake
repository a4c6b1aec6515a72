# twin_include_root(<target> <INTERFACE|PUBLIC> <name> <folder>)
# Each library is included as "twin/<name>/<path inside its folder>", e.g. "twin/model/graph/TwinGraph.h",
# "twin/ui/plot/PlotWidget.h". Sources stay beside their headers in the folder named for what they hold; the build
# tree gets one root per library, build/include/<name>/twin/<name> -> <folder>, so a target sees exactly the
# libraries it links, never the whole repository.
function(twin_include_root target scope name folder)
  set(root ${CMAKE_BINARY_DIR}/include/${name})
  file(MAKE_DIRECTORY ${root}/twin)
  file(CREATE_LINK ${folder} ${root}/twin/${name} SYMBOLIC)
  target_include_directories(${target} ${scope} ${root})
endfunction()
