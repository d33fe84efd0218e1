# ---
# jupyter:
#   course:
#     quick:
#       NUM_EPOCHS: 30
#     measure:
#       raw_rows: len(table)
#       kept_rows: len(kept)
#       train_size: len(train_table)
#       val_size: len(val_table)
#       test_size: len(test_table)
#       parameters: parameters
#       untrained_accuracy: untrained_accuracy
#       step_loss_before: loss.item()
#       step_loss_after: step_loss_after
#       first_loss: history["train_loss"][0]
#       last_loss: history["train_loss"][-1]
#       train_accuracy: history["train_acc"][-1]
#       val_accuracy: history["val_acc"][-1]
#       raw_val_accuracy: raw_val_accuracy
#       adelie_share: majority
#       dead_units: dead
#       confusion_total: cm.sum()
#       test_accuracy: test_accuracy
#       unlabeled_as_expected: probabilities.argmax(dim=1).tolist() == [0, 1, 2]
#     expect:
#       quick:
#       - raw_rows == 344
#       - kept_rows == 342
#       - train_size == 218
#       - val_size == 55
#       - test_size == 69
#       - parameters == 193
#       - step_loss_after < step_loss_before
#       - last_loss < first_loss
#       - confusion_total == 55
#       full:
#       - raw_rows == 344
#       - kept_rows == 342
#       - train_size == 218
#       - val_size == 55
#       - test_size == 69
#       - parameters == 193
#       - untrained_accuracy < 0.6
#       - step_loss_after < step_loss_before
#       - last_loss < first_loss
#       - train_accuracy >= 0.95
#       - val_accuracy >= 0.95
#       - raw_val_accuracy < 0.6
#       - raw_val_accuracy - adelie_share < 1e-6
#       - adelie_share - raw_val_accuracy < 1e-6
#       - test_accuracy >= 0.95
#       - unlabeled_as_expected == 1
#       - dead_units == 10
#       - confusion_total == 55
#     translations:
#       es:
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes del curso"
#         "# passes over the training penguins, as in the original tutorial": "# pasadas por los pingüinos de entrenamiento, como en el tutorial original"
#         "# how many training penguins to use (None: all of them)": "# cuántos pingüinos de entrenamiento usar (None: todos)"
#         "# models this small train fastest on one CPU thread": "# modelos tan pequeños entrenan más rápido en un solo hilo de la CPU"
#         "# No device.pick() here: with 4 measurements per penguin, copying each batch to a GPU": "# Aquí no hay device.pick(): con 4 medidas por pingüino, copiar cada lote a una GPU"
#         "# would cost more than computing it, so this lesson stays on the CPU.": "# costaría más que calcularlo, así que esta lección se queda en la CPU."
#         "{table.shape[0]} penguins, {table.shape[1]} columns": "{table.shape[0]} pingüinos, {table.shape[1]} columnas"
#         "{incomplete.sum()} rows lack a measurement; {len(kept)} are kept": "{incomplete.sum()} filas no tienen todas las medidas; se conservan {len(kept)}"
#         "# in the notebook's language": "# en el idioma del cuaderno"
#         "training: {len(train_table)}, validation: {len(val_table)}, test: {len(test_table)}": "entrenamiento: {len(train_table)}, validación: {len(val_table)}, prueba: {len(test_table)}"
#         "The features of ``frame`` (float32) and its species as class numbers (int64).": "Las características de ``frame`` (float32) y su especie como número de clase (int64)."
#         "``X`` standardized with the per-column mean and standard deviation of ``X_train``.": "``X`` estandarizado con la media y la desviación típica de cada columna de ``X_train``."
#         "training": "entrenamiento"
#         "validation": "validación"
#         "test": "prueba"
#         "{len(train_data)} training penguins in {len(train_loader)} batches": "{len(train_data)} pingüinos de entrenamiento en {len(train_loader)} lotes"
#         "{feature_labels[0]}, standardized": "{feature_labels[0]}, estandarizada"
#         "{feature_labels[1]}, standardized": "{feature_labels[1]}, estandarizada"
#         "4 measurements in, two hidden layers of 10 ReLU units, 3 logits out.": "Entran 4 medidas, dos capas ocultas de 10 unidades ReLU, salen 3 logits."
#         "{parameters} parameters": "{parameters} parámetros"
#         "probabilities for the first 5 penguins:": "probabilidades de los 5 primeros pingüinos:"
#         "predictions:": "predicciones:"
#         "labels:     ": "etiquetas:   "
#         "accuracy on the training set: {untrained_accuracy:.1%}": "exactitud en la parte de entrenamiento: {untrained_accuracy:.1%}"
#         "CrossEntropyLoss: {loss.item():.4f}   by hand: {by_hand.item():.4f}": "CrossEntropyLoss: {loss.item():.4f}   a mano: {by_hand.item():.4f}"
#         "before the step: loss {loss.item():.4f}": "antes del paso:   pérdida {loss.item():.4f}"
#         "after the step:  loss {step_loss_after:.4f}": "después del paso: pérdida {step_loss_after:.4f}"
#         "Train ``model`` for one epoch; return the mean loss per sample and the accuracy.": "Entrena ``model`` durante una época; devuelve la pérdida media por muestra y la exactitud."
#         "Accuracy (0 to 1) of ``model`` over every batch of ``loader``, without training it.": "Exactitud (de 0 a 1) de ``model`` sobre todos los lotes de ``loader``, sin entrenarlo."
#         "epoch {epoch:3d}: loss {epoch_loss:.3f}, accuracy {epoch_accuracy:.1%}, ": "época {epoch:3d}: pérdida {epoch_loss:.3f}, exactitud {epoch_accuracy:.1%}, "
#         "validation {val_accuracy:.1%}": "validación {val_accuracy:.1%}"
#         "raw measurements": "medidas en bruto"
#         "validation accuracy, standardized: {val_accuracy:.1%}, raw: {raw_val_accuracy:.1%}": "exactitud en validación, estandarizando: {val_accuracy:.1%}, en bruto: {raw_val_accuracy:.1%}"
#         "share of Adelie penguins in validation: {majority:.1%}": "proporción de pingüinos Adelia en validación: {majority:.1%}"
#         "# first-layer units that give 0 for every training penguin": "# neuronas de la primera capa que dan 0 para todos los pingüinos de entrenamiento"
#         "first-layer units at 0 for every training penguin: {dead} of 10": "neuronas de la primera capa en 0 para todos los pingüinos de entrenamiento: {dead} de 10"
#         "test accuracy: {test_accuracy:.1%} of {len(test_data)} penguins": "exactitud en prueba: {test_accuracy:.1%} de {len(test_data)} pingüinos"
#         "(each penguin is {1 / len(test_data):.1%} of the test set)": "(cada pingüino es el {1 / len(test_data):.1%} de la parte de prueba)"
#         "label": "etiqueta"
#         "prediction": "predicción"
#         "penguin {number}: {class_names[best]} ({p[best]:.1%})": "pingüino {number}: {class_names[best]} ({p[best]:.1%})"
#         "Predict the sliders' penguin and show one text bar per species.": "Predice el pingüino de los deslizadores y muestra una barra de texto por especie."
#         "# a plain widget: nothing waits on it in a headless run": "# un widget sencillo: nada lo espera en una ejecución sin pantalla"
#         "# a cell that needs an unwritten exercise says so in one line": "# una celda que necesita un ejercicio sin escribir lo dice en una línea"
#     predictions:
#       untrained_probabilities:
#         question: {es: "La red sin entrenar, con sus tres salidas: tras un `softmax`, ¿qué probabilidades da a un pingüino?", en: "The untrained network, with its three outputs: after a `softmax`, what probabilities does it give a penguin?"}
#         answer: a
#         options:
#           a: {es: "Cerca de un tercio cada una.", en: "Close to a third each.", why: {es: "Con pesos iniciales pequeños y al azar, los logits se parecen y el `softmax` reparte casi por igual.", en: "With small random initial weights the logits are alike, and `softmax` spreads almost evenly."}}
#           b: {es: "Casi 1 para una especie: la red siempre elige.", en: "Nearly 1 for one species: the network always picks one.", misconception: untrained_is_confident, why: {es: "`argmax` elige siempre, pero la probabilidad que hay detrás es baja.", en: "`argmax` always picks, but the probability behind it is low."}}
#           c: {es: "Tres números cualesquiera, incluso negativos.", en: "Any three numbers, even negative ones.", misconception: logits_are_probabilities, why: {es: "Eso son los logits; el `softmax` los convierte en números positivos que suman 1.", en: "Those are the logits; `softmax` turns them into positive numbers that add up to 1."}}
#       raw_measurements:
#         question: {es: "La misma red, con la misma tasa y las mismas épocas, pero con las medidas en bruto (la masa en gramos). ¿Qué exactitud de validación alcanza?", en: "The same network, at the same rate and for the same epochs, but on the raw measurements (mass in grams). What validation accuracy does it reach?"}
#         answer: b
#         options:
#           a: {es: "Casi la misma, solo que tarda más en llegar.", en: "About the same, it just takes longer to get there.", misconception: scaling_only_speed, why: {es: "Los primeros pasos, enormes, dejan apagadas para siempre las 10 neuronas ReLU de la primera capa: ya no aprende.", en: "The first, huge steps switch off all 10 ReLU units of the first layer for good: it never learns again."}}
#           b: {es: "La proporción de Adelias: predice siempre la especie más común.", en: "The share of Adelie penguins: it always predicts the most common species.", why: {es: "Sin nada que pase desde la entrada, da la misma salida para todos los pingüinos.", en: "With nothing getting through from the input, it gives the same output for every penguin."}}
#           c: {es: "Algo peor, pero aprende: la masa pesa de más y las otras medidas se aprovechan poco.", en: "Somewhat worse, but it learns: mass weighs too much and the other measurements are barely used.", misconception: scale_costs_little, why: {es: "Es mucho peor: la escala no resta un poco de exactitud, sino que impide aprender; la red no usa ninguna medida.", en: "It is far worse: the scale does not cost a little accuracy, it stops learning altogether; the network uses no measurement at all."}}
#     misconceptions:
#       untrained_is_confident: {es: "confunde la clase elegida con una predicción segura", en: "mistakes the chosen class for a confident prediction"}
#       logits_are_probabilities: {es: "confunde logits y probabilidades", en: "confuses logits with probabilities"}
#       scaling_only_speed: {es: "cree que la escala de los datos solo afecta a la velocidad", en: "thinks the data's scale only affects speed"}
#       scale_costs_little: {es: "cree que unas medidas a escalas muy distintas solo restan algo de exactitud", en: "thinks measurements on very different scales only cost a little accuracy"}
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 05 · Entrenamiento personalizado: pingüinos
#
# Esta lección es la versión en PyTorch de un tutorial clásico de
# TensorFlow: entrenar, con un bucle escrito a mano, una red que reconoce la
# especie de un pingüino a partir de cuatro medidas. Es un problema pequeño y
# tabular (una fila por animal, una columna por medida), muy distinto de las
# imágenes de MNIST, y recorre el camino completo de un proyecto:
#
# - mirar los datos en bruto y decidir qué son características y qué es la etiqueta;
# - preparar los datos: separar validación y prueba, escribir el `Dataset` y estandarizar;
# - elegir un modelo y ver qué predice antes de entrenarlo;
# - definir la pérdida y dar un paso de optimización a mano;
# - escribir el bucle de entrenamiento, comparar en validación con y sin estandarizar, medir
#   la prueba una vez y predecir pingüinos nuevos.

# %% [markdown] tags=["en"]
# # 05 · Custom training: penguins
#
# This lesson is the PyTorch version of a classic TensorFlow tutorial:
# training, with a hand-written loop, a network that tells a penguin's
# species from four measurements. It is a small, tabular problem (one row
# per animal, one column per measurement), quite unlike MNIST's images, and
# it walks the whole path of a project:
#
# - look at the raw data and decide what the features are and what the label is;
# - prepare the data: set validation and test sets aside, write the `Dataset`, standardize;
# - choose a model and see what it predicts before training;
# - define the loss and take one optimization step by hand;
# - write the training loop, compare on validation with and without standardizing, measure
#   the test once, and predict new penguins.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 201  # passes over the training penguins, as in the original tutorial
TRAIN_SUBSET = None  # how many training penguins to use (None: all of them)
SEED = 0

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
import torch
from IPython.display import display
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_utils import checks, data, i18n, metrics, penguins, plots, seed
from course_utils.checks import penguins as check

i18n.set_language(LANG)
checks.wait_for_exercises()  # a cell that needs an unwritten exercise says so in one line
torch.set_num_threads(1)  # models this small train fastest on one CPU thread
# No device.pick() here: with 4 measurements per penguin, copying each batch to a GPU
# would cost more than computing it, so this lesson stays on the CPU.
generator = seed.seed_everything(SEED)

# %% [markdown] tags=["es"]
# ## El problema
#
# Imagina que eres ornitóloga y quieres clasificar automáticamente cada
# pingüino que encuentras. Existen 18 especies de pingüinos; aquí nos
# quedamos con tres que viven en el archipiélago Palmer, en la Antártida:
# **Adelia** (*Adelie*), **barbijo** (*Chinstrap*) y **papúa** o gentú
# (*Gentoo*). Un programa muy sofisticado podría mirar fotos; el nuestro
# solo mira cuatro números por animal: la masa corporal, la longitud de la
# aleta y la longitud y la profundidad del pico (el *culmen*).
#
# Los datos los tomaron Kristen Gorman y su equipo en la estación Palmer
# (Gorman et al., 2014), y Horst et al. (2020) los publicaron como el
# conjunto `palmerpenguins`. Vienen en el paquete de Python del mismo
# nombre, así que no hace falta descargar nada.

# %% [markdown] tags=["en"]
# ## The problem
#
# Imagine you are an ornithologist who wants to classify every penguin you
# come across automatically. There are 18 penguin species; here we keep
# three that live in the Palmer Archipelago, in Antarctica: **Adelie**,
# **Chinstrap** and **Gentoo**. A very sophisticated program could look at
# photos; ours only looks at four numbers per animal: body mass, flipper
# length, and the length and depth of the bill (the *culmen*).
#
# Kristen Gorman and her team measured the data at Palmer Station (Gorman
# et al., 2014), and Horst et al. (2020) published it as the
# `palmerpenguins` dataset. It ships in the Python package of the same
# name, so there is nothing to download.

# %% [markdown] tags=["es"]
# ## Un primer vistazo a los datos
#
# `penguins.raw()` devuelve la tabla tal como se publicó: una fila por
# pingüino (un **ejemplo**) y una columna por dato. Estas son las primeras
# filas y el tamaño de la tabla. Sus textos están en inglés, como en el
# original: `species` es la especie, `island` la isla, `sex` el sexo (`male`,
# `female`) y `year` el año; las columnas que terminan en `_mm` o `_g` son
# medidas.

# %% [markdown] tags=["en"]
# ## A first look at the data
#
# `penguins.raw()` returns the table as it was published: one row per
# penguin (an **example**) and one column per field. Here are the first
# rows and the size of the table. The names are the published ones:
# `species`, `island`, `sex` (`male`, `female`) and `year`; the columns
# ending in `_mm` or `_g` are measurements.

# %% tags=["nbval-check-output", "library-text"]
table = penguins.raw()
print(f"{table.shape[0]} penguins, {table.shape[1]} columns")
table.head()

# %% [markdown] tags=["es"]
# Cada fila mezcla dos clases de columnas:
#
# - las **características** (*features*): lo que el modelo recibe para decidir; usamos las cuatro
#   medidas `bill_length_mm`, `bill_depth_mm`, `flipper_length_mm` y `body_mass_g`;
# - la **etiqueta** (*label*): lo que queremos predecir, la columna `species`.
#
# La isla, el sexo y el año no los usamos. Tampoco sirven las filas a las
# que les falta alguna medida: al modelo hay que darle siempre los cuatro
# números. La celda cuenta esas filas y las que quedan.

# %% [markdown] tags=["en"]
# Every row mixes two kinds of columns:
#
# - the **features**: what the model receives to make up its mind; we use the four measurements
#   `bill_length_mm`, `bill_depth_mm`, `flipper_length_mm` and `body_mass_g`;
# - the **label**: what we want to predict, the column `species`.
#
# We do not use the island, the sex or the year. Nor are rows that lack a
# measurement any good: the model must always be given all four numbers.
# The cell counts those rows and the ones left.

# %% tags=["nbval-check-output"]
incomplete = table[penguins.FEATURES].isna().any(axis=1)
kept = table[~incomplete]
print(f"{incomplete.sum()} rows lack a measurement; {len(kept)} are kept")
per_species = kept["species"].value_counts()[penguins.CLASS_NAMES].tolist()
print(dict(zip(penguins.species_names(), per_species, strict=True)))

# %% [markdown] tags=["es"]
# ## La etiqueta como número
#
# Una red no produce palabras sino números, así que cada especie se
# representa con un entero: 0 Adelia, 1 barbijo, 2 papúa. La lista
# `class_names` guarda los nombres en ese orden; con ella traduciremos las
# predicciones del modelo (la posición en la lista es el número de la clase).
# `penguins.species_names()` da los nombres en el idioma del cuaderno; la
# columna `species` de los datos sigue usando los del original (*Adelie*,
# *Chinstrap*, *Gentoo*).

# %% [markdown] tags=["en"]
# ## The label as a number
#
# A network outputs numbers, not words, so each species is represented by
# an integer: 0 Adelie, 1 Chinstrap, 2 Gentoo. The list `class_names` keeps
# the names in that order; we will use it to read the model's predictions
# (the position in the list is the class number). `penguins.species_names()`
# gives the names in the notebook's language; in English they are the same
# as in the data's `species` column.

# %% tags=["nbval-check-output"]
class_names = penguins.species_names()  # in the notebook's language
for label, name in enumerate(class_names):
    print(label, name)

# %% [markdown] tags=["es"]
# ## Tres partes: entrenamiento, validación y prueba
#
# `penguins.split()` quita las filas incompletas y separa al azar (con semilla) la tabla en
# tres, con la misma proporción de cada especie en todas (división *estratificada*):
#
# - **entrenamiento** (64%): con lo que aprende la red;
# - **validación** (16%): con lo que compararemos ideas y elegiremos, como en la lección 02;
# - **prueba** (20%): se mide una sola vez, al final, con el modelo ya elegido.
#
# Las tres son tablas de pandas con las medidas en bruto (mm y g), tal como se publicaron.

# %% [markdown] tags=["en"]
# ## Three parts: training, validation and test
#
# `penguins.split()` drops the incomplete rows and splits the table at random (seeded) in
# three, with the same share of each species in all of them (a *stratified* split):
#
# - **training** (64%): what the network learns from;
# - **validation** (16%): what we compare ideas and choose with, as in lesson 02;
# - **test** (20%): measured once, at the end, with the model already chosen.
#
# The three are pandas tables with the raw measurements (mm and g), as published.

# %% tags=["nbval-check-output"]
train_table, val_table, test_table = penguins.split(table, seed=SEED)
print(f"training: {len(train_table)}, validation: {len(val_table)}, test: {len(test_table)}")

# %% [markdown] tags=["es"]
# ## Un `Dataset` de pingüinos
#
# PyTorch lee los datos a través de un `Dataset`: un objeto con `len(dataset)` (cuántos
# ejemplos hay) y `dataset[i]` (el ejemplo `i`, un par *(características, etiqueta)*). Para
# datos que ya caben en memoria como tensores, `TensorDataset(X, y)` es el `Dataset` hecho:
# `dataset[i]` es `(X[i], y[i])`, y sus tensores quedan en `dataset.tensors`.
#
# ### Ejercicio: de la tabla a los tensores
#
# Escribe `penguin_dataset(frame, features, class_names)`, que devuelva
# `TensorDataset(X, y)` con:
#
# - `X`: las columnas `features` de `frame`, en ese orden, como tensor **float32** de forma
#   `(n, 4)` (pandas las da en float64, y los pesos de la red son float32);
# - `y`: la especie de cada fila convertida en su **número de clase**, la posición de su nombre
#   en `class_names`, como tensor de enteros int64 de forma `(n,)`, que es lo que espera la
#   pérdida.
#
# Ojo: tras la separación, el índice de cada tabla va desordenado (guarda el número de fila
# original), así que no busques filas por su etiqueta de índice.

# %% [markdown] tags=["en"]
# ## A penguin `Dataset`
#
# PyTorch reads data through a `Dataset`: an object with `len(dataset)` (how many examples
# there are) and `dataset[i]` (example `i`, a pair *(features, label)*). For data that
# already fits in memory as tensors, `TensorDataset(X, y)` is the ready-made `Dataset`:
# `dataset[i]` is `(X[i], y[i])`, and its tensors are kept in `dataset.tensors`.
#
# ### Exercise: from the table to tensors
#
# Write `penguin_dataset(frame, features, class_names)`, returning `TensorDataset(X, y)`
# with:
#
# - `X`: the `features` columns of `frame`, in that order, as a **float32** tensor of shape
#   `(n, 4)` (pandas gives them as float64, and the network's weights are float32);
# - `y`: each row's species turned into its **class number**, the position of its name in
#   `class_names`, as an int64 integer tensor of shape `(n,)`, which is what the loss expects.
#
# Beware: after the split, each table's index is shuffled (it keeps the original row
# number), so do not look rows up by their index label.


# %%
def penguin_dataset(frame, features, class_names) -> TensorDataset:
    """The features of ``frame`` (float32) and its species as class numbers (int64)."""
    ### BEGIN SOLUTION
    X = torch.tensor(frame[features].to_numpy(), dtype=torch.float32)
    y = torch.tensor([class_names.index(name) for name in frame["species"]])
    return TensorDataset(X, y)
    ### END SOLUTION


# %% tags=["check"]
check.dataset(penguin_dataset)

# %% [markdown] tags=["es"]
# La celda crea los tres `Dataset` y muestra el primer ejemplo de entrenamiento: cuatro
# medidas en bruto y un número de clase.

# %% [markdown] tags=["en"]
# The cell builds the three `Dataset`s and shows the first training example: four raw
# measurements and a class number.

# %% tags=["raises-exception"]
raw_train_data, raw_val_data, raw_test_data = (
    penguin_dataset(part, penguins.FEATURES, penguins.CLASS_NAMES)
    for part in (train_table, val_table, test_table)
)
features, label = raw_train_data[0]
print(features, features.dtype)
print(label, label.dtype)

# %% [markdown] tags=["es"]
# ## Estandarizar
#
# Las medidas viven en escalas muy distintas: la masa se mide en miles de gramos y la
# profundidad del pico ronda los 20 mm. Sin más, la masa dominaría los primeros cálculos de la
# red. **Estandarizar** cada medida es restarle su media y dividirla entre su desviación
# típica; así todas quedan centradas en 0 y con una dispersión de 1.
#
# La media y la desviación se calculan **solo con la parte de entrenamiento** y se aplican
# iguales a las demás partes (y a cualquier pingüino nuevo): si las calculáramos con todos los
# datos, algo de la validación y la prueba se filtraría al entrenamiento. El tutorial original
# usa el conjunto ya procesado de TensorFlow Datasets, `penguins/processed`, normalizado con
# **todos** los pingüinos antes de separar la prueba: una pequeña fuga que aquí evitamos.
#
# ### Ejercicio: la estandarización
#
# Escribe `standardize(X, X_train)`, que devuelva `X` estandarizado con la media y la
# desviación típica **de `X_train`**, una por columna (`dim=0`), como tensor float32 nuevo
# (sin modificar los que recibe). Si una columna de `X_train` es constante, su desviación es
# 0: usa 1 en su lugar para no dividir entre 0 (esa medida queda en 0 y no aporta nada).

# %% [markdown] tags=["en"]
# ## Standardizing
#
# The measurements live on very different scales: mass is measured in thousands of grams and
# bill depth is around 20 mm. Left alone, mass would dominate the network's first
# computations. **Standardizing** a measurement means subtracting its mean and dividing by its
# standard deviation, so that all of them are centred on 0 with a spread of 1.
#
# The mean and the deviation are computed **on the training set only** and applied as they are
# to the other parts (and to any new penguin): computing them on all the data would leak
# something of the validation and test sets into training. The original tutorial uses
# TensorFlow Datasets' ready-made `penguins/processed`, normalized with **all** the penguins
# before the test is split off: a small leak that we avoid here.
#
# ### Exercise: the standardization
#
# Write `standardize(X, X_train)`, returning `X` standardized with the mean and standard
# deviation **of `X_train`**, one per column (`dim=0`), as a new float32 tensor (leaving the
# ones it gets unchanged). If a column of `X_train` is constant, its deviation is 0: use 1
# instead so as not to divide by 0 (that measurement becomes 0 and adds nothing).


# %%
def standardize(X: torch.Tensor, X_train: torch.Tensor) -> torch.Tensor:
    """``X`` standardized with the per-column mean and standard deviation of ``X_train``."""
    ### BEGIN SOLUTION
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    std = torch.where(std == 0, torch.ones_like(std), std)
    return (X - mean) / std
    ### END SOLUTION


# %% tags=["check"]
check.standardize(standardize)

# %% [markdown] tags=["es"]
# `X_fit` guarda las medidas de entrenamiento en bruto: son las únicas de las que salen la
# media y la desviación, para las tres partes. La tabla muestra las medias tras estandarizar:
# 0 en entrenamiento, por construcción, y cerca de 0, pero no exactamente, en validación y
# prueba, porque sus pingüinos no son los mismos.

# %% [markdown] tags=["en"]
# `X_fit` keeps the raw training measurements: they are the only ones the mean and the
# deviation come from, for all three parts. The table shows the means after standardizing:
# 0 on training, by construction, and close to 0, but not exactly, on validation and test,
# since their penguins are not the same.

# %% tags=["raises-exception"]
X_fit = raw_train_data.tensors[0]
train_data, val_data, test_data = (
    TensorDataset(standardize(X, X_fit), y)
    for X, y in (d.tensors for d in (raw_train_data, raw_val_data, raw_test_data))
)
X_train, y_train = train_data.tensors
parts = {"training": X_train, "validation": val_data.tensors[0], "test": test_data.tensors[0]}
display(penguins.means(parts))

# %% [markdown] tags=["es"]
# Un `DataLoader` sirve los ejemplos de entrenamiento en lotes de 32, barajados en cada época,
# como en el tutorial original. Los de validación y prueba no hace falta barajarlos.

# %% [markdown] tags=["en"]
# A `DataLoader` serves the training examples in batches of 32, shuffled on every epoch, as in
# the original tutorial. The validation and test ones need no shuffling.

# %% tags=["raises-exception"]
batch_size = 32
train_data = data.subset(train_data, TRAIN_SUBSET, seed=SEED)
train_loader = DataLoader(train_data, batch_size=batch_size, shuffle=True, generator=generator)
val_loader = DataLoader(val_data, batch_size=batch_size)
test_loader = DataLoader(test_data, batch_size=batch_size)
print(f"{len(train_data)} training penguins in {len(train_loader)} batches")

# %% [markdown] tags=["es"]
# Si dibujas dos características, una frente a otra, con un color por especie, aparecen
# grupos (*clusters*) bastante separados: las Adelia tienen el pico corto y alto, las barbijo
# largo y alto, y las papúa largo y bajo. Que los grupos se vean a simple vista anuncia que el
# problema es fácil para una red pequeña. Los ejes, estandarizados, no tienen unidades: cuentan
# desviaciones típicas desde la media.

# %% [markdown] tags=["en"]
# If you plot two features against each other, one colour per species, fairly separate groups
# (*clusters*) show up: Adelie penguins have a short, deep bill, Chinstraps a long, deep one,
# and Gentoos a long, shallow one. Groups you can see with the naked eye announce that the
# problem is easy for a small network. The standardized axes have no units: they count
# standard deviations from the mean.

# %% tags=["raises-exception"]
bill_length, bill_depth = X_train[:, 0], X_train[:, 1]
fig, ax = plt.subplots(figsize=(5.5, 4))
for label, name in enumerate(class_names):
    chosen = y_train == label
    ax.scatter(bill_length[chosen], bill_depth[chosen], label=name, alpha=0.7)
feature_labels = penguins.feature_labels(units=False)
ax.set_xlabel(f"{feature_labels[0]}, standardized")
ax.set_ylabel(f"{feature_labels[1]}, standardized")
ax.legend()
ax.grid(alpha=0.3)

# %% [markdown] tags=["es"]
# ## ¿Por qué un modelo?
#
# Un **modelo** es una relación entre las características y la etiqueta.
# Mirando el gráfico podrías escribir reglas a mano («si el pico es corto,
# Adelia»), pero afinar los umbrales de cuatro medidas a la vez es tedioso y,
# con datos más complicados, imposible. El aprendizaje automático encuentra
# esa relación por ti a partir de ejemplos con su etiqueta: es aprendizaje
# **supervisado**.
#
# ## Elegir el modelo
#
# Usamos una red neuronal **densa** (cada neurona recibe todas las salidas
# de la capa anterior): 4 entradas, dos capas ocultas de 10 neuronas y 3
# salidas, una por especie. Tras cada capa oculta va una activación ReLU,
# que deja pasar los positivos y convierte los negativos en 0. Esa **no
# linealidad** es lo que da potencia a la red: sin ella, varias capas
# lineales seguidas equivalen a una sola capa lineal. (El tutorial original
# titula esta parte «un modelo lineal simple», pero con ReLU no lo es.)

# %% [markdown] tags=["en"]
# ## Why a model?
#
# A **model** is a relationship between the features and the label.
# Looking at the plot you could write rules by hand ("short bill: Adelie"),
# but tuning thresholds on four measurements at once is tedious and, with
# harder data, impossible. Machine learning finds that relationship for you
# from examples with their label: that is **supervised** learning.
#
# ## Choosing the model
#
# We use a **dense** neural network (every neuron receives all the outputs
# of the layer before): 4 inputs, two hidden layers of 10 neurons and 3
# outputs, one per species. After each hidden layer comes a ReLU activation,
# which lets positive values through and turns negative ones into 0. That
# **non-linearity** is what gives the network its power: without it,
# several linear layers in a row amount to a single linear layer. (The
# original tutorial calls this part "a simple linear model", but with ReLU
# it is not one.)


# %% tags=["nbval-check-output"]
def make_model() -> nn.Sequential:
    """4 measurements in, two hidden layers of 10 ReLU units, 3 logits out."""
    return nn.Sequential(
        nn.Linear(4, 10),
        nn.ReLU(),
        nn.Linear(10, 10),
        nn.ReLU(),
        nn.Linear(10, 3),
    )


model = make_model()
parameters = sum(p.numel() for p in model.parameters())
print(model)
print(f"{parameters} parameters")

# %% [markdown] tags=["es"]
# ## Qué predice un modelo sin entrenar

# %% [markdown] tags=["en"]
# ## What an untrained model predicts

# %% [markdown] tags=["prediction"]
# untrained_probabilities

# %% [markdown] tags=["es"]
# Las tres salidas son **logits**: puntuaciones sin escala, una por especie.
# `softmax` las convierte en probabilidades (positivas y que suman 1), y
# `argmax` elige la especie más probable. Con los pesos iniciales, que son
# aleatorios, las probabilidades rondan un tercio y las predicciones son
# malas. (La figura 2 del tutorial original dibuja probabilidades a la salida de
# la red, pero su modelo, como este, da logits: las probabilidades solo aparecen
# tras aplicar `softmax`.)

# %% [markdown] tags=["en"]
# The three outputs are **logits**: unscaled scores, one per species.
# `softmax` turns them into probabilities (positive, adding up to 1), and
# `argmax` picks the most likely species. With the initial weights, which
# are random, the probabilities hover around a third and the predictions
# are poor. (The original tutorial's Figure 2 draws probabilities at the
# network's output, but its model, like this one, outputs logits: the
# probabilities only appear after a `softmax`.)

# %% tags=["raises-exception"]
X, y = next(iter(train_loader))
with torch.no_grad():
    logits = model(X)
print("probabilities for the first 5 penguins:")
print(logits[:5].softmax(dim=1).numpy().round(3))
print("predictions:", logits.argmax(dim=1)[:10].tolist())
print("labels:     ", y[:10].tolist())
with torch.no_grad():
    untrained_accuracy = (model(X_train).argmax(dim=1) == y_train).float().mean().item()
print(f"accuracy on the training set: {untrained_accuracy:.1%}")

# %% [markdown] tags=["reveal"]
# untrained_probabilities

# %% [markdown] tags=["es"]
# ## La pérdida y los gradientes
#
# La **pérdida** mide lo lejos que están las predicciones de las etiquetas;
# entrenar es hacerla pequeña. Para clasificar se usa la entropía cruzada,
# `nn.CrossEntropyLoss`: recibe los **logits** y las etiquetas como enteros
# y devuelve la pérdida media del lote. Es el equivalente en PyTorch de
# `SparseCategoricalCrossentropy(from_logits=True)` de Keras. Ojo: aplica
# softmax por dentro, así que no hay que pasarle probabilidades (el
# tutorial original dice que recibe probabilidades; con esa opción,
# recibe logits). La celda comprueba que es lo mismo que la media de
# $-\log p_y$, el logaritmo de la probabilidad de la clase correcta.

# %% [markdown] tags=["en"]
# ## Loss and gradients
#
# The **loss** measures how far the predictions are from the labels;
# training means making it small. Classification uses cross-entropy,
# `nn.CrossEntropyLoss`: it takes the **logits** and the labels as integers
# and returns the batch's mean loss. It is PyTorch's counterpart of Keras's
# `SparseCategoricalCrossentropy(from_logits=True)`. Beware: it applies
# softmax inside, so you must not give it probabilities (the original
# tutorial says it takes probabilities; with that option, it takes
# logits). The cell checks it equals the mean of
# $-\log p_y$, the log of the probability of the right class.

# %% tags=["raises-exception"]
criterion = nn.CrossEntropyLoss()
loss = criterion(model(X), y)
by_hand = -model(X).log_softmax(dim=1)[torch.arange(len(y)), y].mean()
print(f"CrossEntropyLoss: {loss.item():.4f}   by hand: {by_hand.item():.4f}")

# %% [markdown] tags=["es"]
# TensorFlow calcula gradientes grabando las operaciones dentro de un
# bloque `tf.GradientTape`. En PyTorch la grabación es automática
# (*autograd*): cada operación sobre tensores con `requires_grad` queda
# apuntada al ejecutarse, y `loss.backward()` recorre ese registro hacia
# atrás y deja el gradiente de cada peso en su `.grad`.

# %% [markdown] tags=["en"]
# TensorFlow computes gradients by recording operations inside a
# `tf.GradientTape` block. In PyTorch the recording is automatic
# (*autograd*): every operation on tensors with `requires_grad` is noted
# as it runs, and `loss.backward()` walks that record backwards and leaves
# the gradient of every weight in its `.grad`.

# %% [markdown] tags=["es"]
# ## Un paso de optimización
#
# El **optimizador** usa esos gradientes para mover los pesos cuesta abajo
# en la superficie de la pérdida. Como en el original, usamos descenso de
# gradiente estocástico (SGD) con tasa de aprendizaje 0.01: cada peso se
# mueve 0.01 veces su gradiente, en sentido contrario. Un solo paso sobre el
# mismo lote baja la pérdida un poco.

# %% [markdown] tags=["en"]
# ## One optimization step
#
# The **optimizer** uses those gradients to move the weights downhill on
# the loss surface. As in the original, we use stochastic gradient descent
# (SGD) with learning rate 0.01: every weight moves 0.01 times its
# gradient, the opposite way. A single step on the same batch lowers the
# loss a little.

# %% tags=["raises-exception"]
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
loss = criterion(model(X), y)
print(f"before the step: loss {loss.item():.4f}")
optimizer.zero_grad()
loss.backward()
optimizer.step()
step_loss_after = criterion(model(X), y).item()
print(f"after the step:  loss {step_loss_after:.4f}")

# %% [markdown] tags=["es"]
# ## El bucle de entrenamiento
#
# Con todas las piezas, entrenar es repetir:
#
# 1. para cada época (una pasada por los datos de entrenamiento),
# 2. para cada lote `X, y`: predecir, calcular la pérdida y sus gradientes, y dar un paso;
# 3. llevar estadísticas de la época para ver cómo avanza.
#
# ### Ejercicio: una época
#
# Escribe `train_epoch(model, loader, criterion, optimizer)`, que entrene `model` una época
# y devuelva dos números de Python: la **pérdida media por muestra** y la **exactitud** de la
# época (la fracción de aciertos, entre 0 y 1).
#
# - Pon el modelo en modo entrenamiento (`model.train()`): una evaluación anterior lo deja en
#   modo evaluación.
# - Para cada lote `X, y` de `loader`: calcula los logits, la pérdida con `criterion` (la que
#   recibes, no otra), y da el paso como en la celda anterior: `zero_grad()`, `backward()`,
#   `step()`.
# - Lleva tres acumuladores: la pérdida total (`loss.item()` por `len(y)`, porque la pérdida del
#   lote es una media), los aciertos (`logits.argmax(dim=1)` igual a `y`) y las muestras vistas.
#   Al final, divide la pérdida total y los aciertos entre las muestras.
#
# No promedies por lotes: el último lote es más pequeño y pesaría de más.

# %% [markdown] tags=["en"]
# ## The training loop
#
# With every piece in place, training means repeating:
#
# 1. for every epoch (one pass over the training data),
# 2. for every batch `X, y`: predict, compute the loss and its gradients, and take a step;
# 3. keep statistics of the epoch to see how it is going.
#
# ### Exercise: one epoch
#
# Write `train_epoch(model, loader, criterion, optimizer)`, which trains `model` for one epoch
# and returns two Python numbers: the epoch's **mean loss per sample** and its **accuracy**
# (the fraction of correct predictions, between 0 and 1).
#
# - Switch the model to training mode (`model.train()`): an earlier evaluation leaves it in
#   evaluation mode.
# - For every batch `X, y` of `loader`: compute the logits, the loss with `criterion` (the one
#   you get, no other), and take the step as in the cell above: `zero_grad()`, `backward()`,
#   `step()`.
# - Keep three running totals: the total loss (`loss.item()` times `len(y)`, since the batch's
#   loss is a mean), the correct predictions (`logits.argmax(dim=1)` equal to `y`) and the
#   samples seen. At the end, divide the total loss and the correct predictions by the samples.
#
# Do not average per batch: the last batch is smaller and would weigh too much.


# %%
def train_epoch(model, loader, criterion, optimizer) -> tuple[float, float]:
    """Train ``model`` for one epoch; return the mean loss per sample and the accuracy."""
    ### BEGIN SOLUTION
    model.train()
    loss_sum, hits, seen = 0.0, 0, 0
    for features, labels in loader:
        logits = model(features)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        seen += len(labels)
        loss_sum += loss.item() * len(labels)
        hits += (logits.argmax(dim=1) == labels).sum().item()
    return loss_sum / seen, hits / seen
    ### END SOLUTION


# %% tags=["check"]
check.train_epoch(train_epoch)

# %% [markdown] tags=["es"]
# ## Evaluar el modelo
#
# La exactitud de entrenamiento no basta: el modelo ya ha visto esos pingüinos. Evaluar es
# medir con pingüinos que no ha visto; mientras comparamos y elegimos, los de **validación**.
# Se parece a entrenar, con tres diferencias: una sola pasada, sin tocar los pesos, y con el
# modelo en modo evaluación. En esta red el modo evaluación no cambia nada (no tiene dropout
# ni normalización por lotes, las capas que se comportan distinto), pero es la costumbre que
# evita sorpresas cuando las tenga.
#
# ### Ejercicio: la evaluación
#
# Escribe `evaluate(model, loader)`, que devuelva la exactitud (entre 0 y 1) del modelo sobre
# **todos** los lotes de `loader`:
#
# - pon el modelo en modo evaluación con `model.eval()`;
# - recorre los lotes dentro de `torch.no_grad()`, porque aquí no hacen falta gradientes;
# - cuenta los aciertos y las muestras de cada lote y divide al final, como antes.

# %% [markdown] tags=["en"]
# ## Evaluating the model
#
# Training accuracy is not enough: the model has already seen those penguins. Evaluating
# means measuring on penguins it has not seen; while we compare and choose, the
# **validation** ones. It looks like training, with three differences: a single pass, the
# weights untouched, and the model in evaluation mode. For this network evaluation mode
# changes nothing (it has no dropout or batch normalization, the layers that behave
# differently), but it is the habit that avoids surprises once it has them.
#
# ### Exercise: the evaluation
#
# Write `evaluate(model, loader)`, returning the model's accuracy (between 0 and 1) over
# **every** batch of `loader`:
#
# - switch the model to evaluation mode with `model.eval()`;
# - go through the batches inside `torch.no_grad()`, since no gradients are needed here;
# - count each batch's correct predictions and samples and divide at the end, as before.


# %%
def evaluate(model, loader) -> float:
    """Accuracy (0 to 1) of ``model`` over every batch of ``loader``, without training it."""
    ### BEGIN SOLUTION
    model.eval()
    correct, n_samples = 0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += (model(X).argmax(dim=1) == y).sum().item()
            n_samples += len(y)
    return correct / n_samples
    ### END SOLUTION


# %% tags=["check"]
check.evaluate(evaluate)

# %% [markdown] tags=["es"]
# ### Entrenar
#
# El bucle de épocas guarda en `history` la pérdida y la exactitud de entrenamiento de cada
# época y la exactitud de validación al acabarla, e imprime la primera, una de cada 50 y la
# última. Tarda unos segundos.

# %% [markdown] tags=["en"]
# ### Training
#
# The epoch loop stores in `history` each epoch's training loss and accuracy and the
# validation accuracy at its end, and prints the first one, one in every 50 and the last. It
# takes a few seconds.

# %% tags=["raises-exception"]
history = {"train_loss": [], "train_acc": [], "val_acc": []}
for epoch in range(1, NUM_EPOCHS + 1):
    epoch_loss, epoch_accuracy = train_epoch(model, train_loader, criterion, optimizer)
    val_accuracy = evaluate(model, val_loader)
    history["train_loss"].append(epoch_loss)
    history["train_acc"].append(epoch_accuracy)
    history["val_acc"].append(val_accuracy)
    if epoch % 50 == 1 or epoch == NUM_EPOCHS:
        print(
            f"epoch {epoch:3d}: loss {epoch_loss:.3f}, accuracy {epoch_accuracy:.1%}, "
            f"validation {val_accuracy:.1%}"
        )
fig = plots.curves(history)

# %% [markdown] tags=["es"]
# Leer estas curvas es un arte, pero lo que se busca es que la pérdida baje y la exactitud
# suba. Aquí, durante las primeras decenas de épocas la pérdida baja despacio y la exactitud
# apenas se mueve: con una tasa de 0.01 el SGD avanza poco a poco hasta que la red encuentra
# cómo separar las especies, y entonces todo se acelera. Al final la exactitud de
# entrenamiento y la de validación pasan del 95%.
#
# Fíjate en qué mide cada curva. La exactitud de entrenamiento de una época es una cifra
# *corrida*: cada lote se puntúa con los pesos de ese momento, que cambian tras cada paso, así
# que mezcla varias versiones del modelo, la mayoría peores que la final. La de validación se
# mide al acabar la época, con los pesos ya fijos y sin entrenar con esos pingüinos.

# %% [markdown] tags=["en"]
# Reading these curves is an art, but what you look for is the loss going down and the
# accuracy going up. Here, for the first few dozen epochs the loss falls slowly and the
# accuracy hardly moves: with a rate of 0.01, SGD inches along until the network finds how to
# separate the species, and then everything speeds up. In the end both the training and the
# validation accuracy are above 95%.
#
# Notice what each curve measures. An epoch's training accuracy is a *running* figure: each
# batch is scored with the weights of that moment, which change after every step, so it mixes
# several versions of the model, most of them worse than the final one. The validation
# accuracy is measured at the end of the epoch, with the weights fixed and on penguins it
# does not train on.

# %% [markdown] tags=["es"]
# ## Comparar: ¿sirve de algo estandarizar?
#
# Hemos afirmado que sin estandarizar la masa dominaría. Compruébalo: la celda entrena una red
# nueva de la misma forma, con la misma semilla, la misma tasa y las mismas épocas, pero con
# las medidas **en bruto** (los `Dataset` de antes de estandarizar), y mide su exactitud en
# validación época a época. Compárala con la figura anterior.

# %% [markdown] tags=["en"]
# ## Comparing: does standardizing help?
#
# We claimed that without standardizing mass would dominate. Check it: the cell trains a new
# network of the same shape, with the same seed, rate and number of epochs, but on the **raw**
# measurements (the `Dataset`s from before standardizing), and measures its validation
# accuracy epoch by epoch. Compare it with the figure above.

# %% [markdown] tags=["prediction"]
# raw_measurements

# %% tags=["raises-exception"]
raw_history = {"train_loss": [], "val_acc": []}
torch.manual_seed(SEED)
raw_model = make_model()
raw_optimizer = torch.optim.SGD(raw_model.parameters(), lr=0.01)
raw_train = data.subset(raw_train_data, TRAIN_SUBSET, seed=SEED)
raw_loader = DataLoader(raw_train, batch_size=batch_size, shuffle=True, generator=generator)
raw_val_loader = DataLoader(raw_val_data, batch_size=batch_size)
for epoch in range(NUM_EPOCHS):
    epoch_loss, _ = train_epoch(raw_model, raw_loader, criterion, raw_optimizer)
    raw_history["train_loss"].append(epoch_loss)
    raw_history["val_acc"].append(evaluate(raw_model, raw_val_loader))
fig = plots.curves(raw_history, title="raw measurements", log=True)
raw_val_accuracy = raw_history["val_acc"][-1]
majority = (raw_val_data.tensors[1] == 0).float().mean().item()
print(f"validation accuracy, standardized: {val_accuracy:.1%}, raw: {raw_val_accuracy:.1%}")
print(f"share of Adelie penguins in validation: {majority:.1%}")
with torch.no_grad():  # first-layer units that give 0 for every training penguin
    dead = (raw_model[:2](X_fit).amax(dim=0) == 0).sum().item()
print(f"first-layer units at 0 for every training penguin: {dead} of 10")

# %% [markdown] tags=["reveal"]
# raw_measurements

# %% [markdown] tags=["es"]
# Sin estandarizar, la red no aprende. En la primera época la pérdida se dispara (el eje es
# logarítmico): la masa, de miles de gramos, produce logits enormes y gradientes enormes, y
# los primeros pasos de 0.01 llevan las 10 neuronas ReLU de la primera capa a la zona
# negativa, donde dan 0 para todos los pingüinos y su gradiente es 0: ya no se recuperan. Sin
# nada que pase de la entrada, la red da la misma salida para cualquier pingüino: predice
# siempre la especie más frecuente, Adelia, y su exactitud de validación es justo la
# proporción de Adelias. Con las medidas estandarizadas, la misma red, con la misma tasa,
# pasa del 95%.
#
# Esta comparación usa la validación, no la prueba: es una elección (estandarizar o no), y las
# elecciones se hacen sin mirar la prueba.

# %% [markdown] tags=["en"]
# Without standardizing, the network does not learn. In the first epoch the loss shoots up
# (the axis is logarithmic): mass, in thousands of grams, gives huge logits and huge
# gradients, and the first steps of 0.01 push all 10 ReLU units of the first layer into the
# negative zone, where they give 0 for every penguin and their gradient is 0: they never
# recover. With nothing getting through from the input, the network gives the same output for
# every penguin: it always predicts the most common species, Adelie, and its validation
# accuracy is exactly the share of Adelie penguins. With standardized measurements, the same network, at the same
# rate, is above 95%.
#
# This comparison uses validation, not test: it is a choice (to standardize or not), and
# choices are made without looking at the test set.

# %% [markdown] tags=["es"]
# ## Dónde se equivoca
#
# Para ver los errores, pon lado a lado las predicciones y las etiquetas del último lote de
# validación: coinciden en casi todos, si no en todos.

# %% [markdown] tags=["en"]
# ## Where it goes wrong
#
# To look at the mistakes, put side by side the predictions and the labels of the last
# validation batch: they agree on nearly all of them, if not all.

# %% tags=["raises-exception"]
model.eval()
with torch.no_grad():
    for X, y in val_loader:
        predictions = model(X).argmax(dim=1)
labels = [class_names[i] for i in y]
predicted = [class_names[i] for i in predictions]
display(pd.DataFrame({"label": labels, "prediction": predicted}))

# %% [markdown] tags=["es"]
# Un lote es solo una muestra. La **matriz de confusión** resume toda la validación: cada
# fila es la especie real y cada columna la predicha. La diagonal cuenta los aciertos y cada
# casilla fuera de ella, un error concreto: qué especie se tomó por cuál. Con tres especies
# cabe de un vistazo, y dice más que la exactitud sola (en la lección 02 la usamos con los
# diez dígitos).

# %% [markdown] tags=["en"]
# One batch is only a sample. The **confusion matrix** sums up the whole validation set:
# every row is the true species and every column the predicted one. The diagonal counts the
# correct predictions and every cell off it one specific mistake: which species was taken for
# which. With three species it fits in one glance, and it says more than the accuracy alone
# (lesson 02 used it for the ten digits).

# %% tags=["raises-exception"]
X_val, y_val = val_data.tensors
model.eval()
with torch.no_grad():
    val_predictions = model(X_val).argmax(dim=1)
cm = metrics.confusion(y_val, val_predictions, num_classes=len(class_names))
fig = plots.confusion_matrix(cm, class_names)

# %% [markdown] tags=["es"]
# ## La prueba, una vez
#
# Con el modelo elegido (estandarizando, con las épocas del tutorial), medimos una sola vez en
# la parte de **prueba**, que nada de lo anterior ha mirado. Es la cifra que se publica.

# %% [markdown] tags=["en"]
# ## The test, once
#
# With the model chosen (standardizing, with the tutorial's epochs), we measure once on the
# **test** set, which nothing above has looked at. It is the figure one reports.

# %% tags=["raises-exception"]
test_accuracy = evaluate(model, test_loader)
print(f"test accuracy: {test_accuracy:.1%} of {len(test_data)} penguins")
print(f"(each penguin is {1 / len(test_data):.1%} of the test set)")

# %% [markdown] tags=["es"]
# La red acierta al menos el 95% de los pingüinos de prueba. Como la parte de prueba es
# pequeña, un solo pingüino mueve bastante la cifra: no le des importancia a diferencias de un
# punto entre ejecuciones. El número de épocas viene fijado por el tutorial, no elegido
# mirando la prueba, y eso mantiene honesta la cifra; si quisieras elegirlo, lo harías con la
# exactitud de validación, como la comparación de antes.

# %% [markdown] tags=["en"]
# The network gets at least 95% of the test penguins right. Since the test set is small, a
# single penguin moves the figure quite a bit: do not read much into one-point differences
# between runs. The number of epochs is fixed by the tutorial, not chosen by looking at the
# test, and that keeps the figure honest; if you wanted to choose it, you would do it with the
# validation accuracy, like the comparison above.

# %% [markdown] tags=["es"]
# ## Predecir pingüinos sin etiqueta
#
# Para eso se entrena un modelo: para clasificar animales cuya especie no
# sabemos. Aquí van tres, medidos a mano en unidades reales (mm y g). Antes
# de dárselos al modelo hay que estandarizarlos **igual que los datos de
# entrenamiento**: `standardize(..., X_fit)` aplica la misma media y desviación.

# %% [markdown] tags=["en"]
# ## Predicting unlabeled penguins
#
# That is what a model is trained for: classifying animals whose species we
# do not know. Here are three, measured by hand in real units (mm and g).
# Before giving them to the model they must be standardized **exactly like
# the training data**: `standardize(..., X_fit)` applies the same mean and deviation.

# %% tags=["raises-exception"]
unlabeled = pd.DataFrame(
    [[38.6, 18.9, 186, 3650], [49.6, 18.6, 197, 3800], [47.2, 14.8, 219, 5250]],
    columns=penguins.FEATURES,
)
new_X = torch.tensor(unlabeled.to_numpy(), dtype=torch.float32)
model.eval()
with torch.no_grad():
    probabilities = model(standardize(new_X, X_fit)).softmax(dim=1)
for number, p in enumerate(probabilities, start=1):
    best = p.argmax().item()
    print(f"penguin {number}: {class_names[best]} ({p[best]:.1%})")

# %% [markdown] tags=["es"]
# Las medidas se eligieron típicas de cada especie, y el modelo entrenado
# las reconoce como Adelia, barbijo y papúa, en ese orden.
#
# ### Pruébalo tú
#
# Mueve los deslizadores: cada uno es una medida en unidades reales, dentro
# del rango que aparece en la tabla. Las barras muestran al momento la
# probabilidad de cada especie. Busca un pingüino del que el modelo dude.

# %% [markdown] tags=["en"]
# The measurements were chosen typical of each species, and the trained
# model recognizes them as Adelie, Chinstrap and Gentoo, in that order.
#
# ### Try it yourself
#
# Move the sliders: each one is a measurement in real units, within the
# range found in the table. The bars show each species' probability right
# away. Look for a penguin the model is unsure about.


# %%
def show_probabilities(change=None) -> None:
    """Predict the sliders' penguin and show one text bar per species."""
    measurements = torch.tensor([[slider.value for slider in sliders.values()]])
    model.eval()
    with torch.no_grad():
        p = model(standardize(measurements, X_fit)).softmax(dim=1)[0].tolist()
    pairs = zip(class_names, p, strict=True)
    rows = [f"{name:<10} {'█' * round(30 * q):<30} {q:6.1%}" for name, q in pairs]
    bars.value = "<pre>" + "\n".join(rows) + "</pre>"


# %% tags=["raises-exception"]
steps = {"bill_length_mm": 0.1, "bill_depth_mm": 0.1, "flipper_length_mm": 1, "body_mass_g": 25}
sliders = {
    name: widgets.FloatSlider(
        kept[name].median(), min=kept[name].min(), max=kept[name].max(), step=step
    )
    for name, step in steps.items()
}
bars = widgets.HTML()  # a plain widget: nothing waits on it in a headless run
for slider, label in zip(sliders.values(), penguins.feature_labels(), strict=True):
    slider.description, slider.style.description_width = label, "14em"
    slider.observe(show_probabilities, names="value")
show_probabilities()
display(widgets.VBox([*sliders.values(), bars]))

# %% [markdown] tags=["es"]
# ## Qué cambia respecto al original
#
# - El modelo no es lineal: las activaciones ReLU lo hacen no lineal, y por eso funciona.
# - `CrossEntropyLoss` recibe logits, no probabilidades.
# - El tutorial llama «precisión» a la exactitud (*accuracy*); la precisión es otra métrica, que
#   viste en la lección 02.
# - La pérdida de la época pondera cada lote por su tamaño; el original promediaba las pérdidas de
#   los lotes, y el último, más pequeño, pesaba de más.
# - El tutorial da en un sitio otro número de pingüinos; la tabla tiene los que imprime la
#   primera celda.
# - El tutorial llama «anchura del culmen» a `bill_depth_mm`, que es su profundidad: la altura
#   del pico, de arriba abajo.
# - Habla de un «lote de funciones» donde quiere decir un lote de características (*features*).
# - Dice que el bucle de entrenamiento itera sobre cada ejemplo; itera sobre lotes (de 32).
# - Su figura 2 dibuja probabilidades a la salida de la red, pero el modelo da logits; su
#   figura 4 muestra una tabla de flores del conjunto Iris (de una versión anterior del tutorial),
#   no de pingüinos.
# - Estandarizamos después de separar la prueba, con las estadísticas del entrenamiento; los datos
#   procesados del original venían normalizados con todos los pingüinos.
# - Apartamos una validación para comparar y mirar errores, y medimos la prueba una sola vez.
#
# ## Resumen
#
# Has seguido un proyecto completo con datos tabulares: separar
# características y etiqueta, convertir la tabla en un `Dataset` de tensores,
# estandarizar solo con la parte de entrenamiento, elegir una red, medir la
# pérdida con logits, escribir el bucle de entrenamiento entero, evaluar en
# modo evaluación y sin gradientes, comparar dos ideas en validación, medir la
# prueba una vez y predecir casos nuevos. En la lección 06 aprenderás a guardar
# un modelo y a retomar un entrenamiento donde se quedó.

# %% [markdown] tags=["en"]
# ## What changes from the original
#
# - The model is not linear: the ReLU activations make it non-linear, and that is why it works.
# - `CrossEntropyLoss` takes logits, not probabilities.
# - The tutorial, as its Spanish edition reads, calls accuracy «precisión»; precision is a
#   different metric, which you met in lesson 02.
# - The epoch's loss weights each batch by its size; the original averaged the batches' losses,
#   so the smaller last batch weighed too much.
# - The tutorial gives another number of penguins in one place; the table has the ones the
#   first cell prints.
# - The tutorial calls `bill_depth_mm` «anchura del culmen» (culmen width); it is its depth,
#   the bill's height from top to bottom.
# - It speaks of a «lote de funciones» (a batch of functions) where it means a batch of features.
# - It says the training loop iterates over each example; it iterates over batches (of 32).
# - Its Figure 2 draws probabilities at the network's output, but the model outputs logits; its
#   Figure 4 shows a table of flowers from the Iris dataset (from an earlier version of the
#   tutorial), not of penguins.
# - We standardize after splitting off the test set, with the training statistics; the
#   original's processed data came normalized with all the penguins.
# - We set a validation set aside to compare and look at mistakes, and measure the test once.
#
# ## Summary
#
# You have followed a whole project on tabular data: telling features from
# the label, turning the table into a `Dataset` of tensors, standardizing with
# the training set only, choosing a network, measuring the loss on logits,
# writing the whole training loop, evaluating in evaluation mode without
# gradients, comparing two ideas on validation, measuring the test once, and
# predicting new cases. In lesson 06 you will learn to save a model and
# to resume a training run where it stopped.
