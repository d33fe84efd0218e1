"""The README of a student pack, in the pack's language."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "readme": {
            "es": """# PyTorch, con las manos en el teclado: ejercicios

Esta carpeta contiene tus cuadernos de ejercicios:

{notebooks}

## Instalar (una sola vez)

Necesitas Python 3.11 o 3.12. Abre una terminal en esta carpeta y escribe:

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt
```

En Windows, escribe `py -m venv .venv` y después
`.venv\\Scripts\\pip install -r requirements.txt`. PyTorch ocupa varios GB: la
instalación tarda unos minutos.

## Abrir

```bash
.venv/bin/jupyter lab
```

(En Windows: `.venv\\Scripts\\jupyter lab`.) Se abre el navegador con JupyterLab, que
empieza en inglés. Para tenerlo en español (el paquete de idioma viene en
`requirements.txt`), elige *Settings → Language → Spanish (Spain) - Español (España)* y
confirma: JupyterLab se recarga en español, con los menús que nombra este texto. Para
volver al inglés: *Configuración → Idioma → Inglés - English*.

Haz doble clic en un cuaderno del explorador de archivos, a la izquierda. Los datos de
MNIST se descargan la primera vez en la carpeta `data/`; si ya los tienes, indica su
carpeta con la variable de entorno `COURSE_DATA_DIR`.

## Trabajar

Escribe tu código donde dice `raise NotImplementedError()` y ejecuta la celda de
comprobación que hay debajo: te dice si tu código es correcto o qué falla.

## Entregar

1. Elige *Kernel → Reiniciar intérprete y ejecutar todas las celdas* y comprueba que
   cada comprobación muestra ✅.
2. Guarda el cuaderno (*Archivo → Guardar Cuaderno*, o Ctrl+S) y entrega el archivo
   `.ipynb` como te indique tu profesor o profesora.

No borres, muevas ni cambies las celdas de comprobación. La nota no sale de lo que
muestra tu cuaderno: se calcula ejecutando las comprobaciones del curso sobre tu
código, con un tiempo límite por cuaderno.
""",
            "en": """# PyTorch, hands on: exercises

This folder holds your exercise notebooks:

{notebooks}

## Install (once)

You need Python 3.11 or 3.12. Open a terminal in this folder and type:

```bash
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt
```

On Windows, type `py -m venv .venv`, then
`.venv\\Scripts\\pip install -r requirements.txt`. PyTorch takes a few GB: installing
takes some minutes.

## Open

```bash
.venv/bin/jupyter lab
```

(On Windows: `.venv\\Scripts\\jupyter lab`.) A browser opens with JupyterLab:
double-click a notebook in the file browser on the left. (JupyterLab also speaks
Spanish: *Settings → Language → Spanish (Spain) - Español (España)*.) The MNIST data is
downloaded into the `data/` folder the first time; if you already have it, give its
folder in the `COURSE_DATA_DIR` environment variable.

## Work

Write your code where it says `raise NotImplementedError()` and run the check cell
below it: it tells you whether your code is right or what is wrong.

## Hand in

1. Choose *Kernel → Restart Kernel and Run All Cells…* and make sure every check
   shows ✅.
2. Save the notebook (*File → Save Notebook*, or Ctrl+S) and hand in the `.ipynb` file
   the way your instructor tells you.

Do not delete, move or change the check cells. Your grade does not come from what
your notebook shows: it is computed by running the course's checks on your code,
with a time limit per notebook.
""",
        },
    }
)


def readme(lang: str, notebooks: list[str]) -> str:
    """The pack's README in ``lang``, listing its notebooks."""
    return _("readme", lang, notebooks="\n".join(f"- `{name}`" for name in notebooks))
