# Installs the build into PREFIX and checks what a user gets.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${PREFIX} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
foreach(f bin/twinworks bin/twinctl share/applications/twinworks.desktop
          share/icons/hicolor/scalable/apps/twinworks.svg share/twinworks/meshes/valve.ply
          share/twinworks/meshes/motor.stl share/twinworks/fmus/motor-cooling.fmu
          lib/twinworks/plugins/twin-conn-mqtt.so share/doc/Twinworks/LICENSE)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "missing after install: ${f}")
  endif()
endforeach()
execute_process(COMMAND ${PREFIX}/bin/twinctl demo --out ${PREFIX}/demo.twin RESULT_VARIABLE rc)
execute_process(COMMAND ${PREFIX}/bin/twinctl info ${PREFIX}/demo.twin RESULT_VARIABLE rc2 OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT rc2 EQUAL 0 OR NOT out MATCHES "47 assets")
  message(FATAL_ERROR "installed twinctl does not work: ${rc} ${rc2} ${out}")
endif()
# The demo's FMU scenario finds the bundled FMU (fmus/motor-cooling.fmu -> <prefix>/share/twinworks/fmus).
execute_process(COMMAND ${PREFIX}/bin/twinctl simulate ${PREFIX}/demo.twin --scenario cooldown-fmu
  --out ${PREFIX}/cooldown.csv --no-store RESULT_VARIABLE rc OUTPUT_VARIABLE sim ERROR_VARIABLE sim)
if(NOT rc EQUAL 0 OR NOT EXISTS ${PREFIX}/cooldown.csv)
  message(FATAL_ERROR "installed twinctl cannot run the demo FMU scenario: ${rc} ${sim}")
endif()
message(STATUS "install layout ok: ${out}")
