# ---
# jupyter:
#   course:
#     quick:
#       NUM_EPOCHS: 6
#     measure:
#       train_size: len(train_data)
#       val_size: len(val_data)
#       test_size: len(test_set)
#       parameters: parameters
#       bn_state_keys: len(bn_state_keys)
#       bn_parameters: len(bn_parameters)
#       taken_follows_model: follows
#       deep_copy_kept: kept["1.num_batches_tracked"].item() == 0
#       round_trip_equal: round_trip_equal
#       own_checkpoint_identical: resumed == uninterrupted
#       best_val_loss: best_val_loss
#       last_val_loss: history["val_loss"][-1]
#       best_epoch: best["epoch"]
#       best_reloaded_equal: best_reloaded_equal
#       best_val_accuracy: best_val_accuracy
#       last_val_accuracy: last_val_accuracy
#       best_pt_bytes: len(best_bytes)
#       uninterrupted_first_loss: uninterrupted_first
#       weights_only_first_loss: losses_weights_only[0]
#       new_order_first_loss: losses_new_order[0]
#       fresh_adam_first_loss: losses_fresh_adam[0]
#       weights_only_resume_differs: losses_weights_only != history["train_loss"][half:]
#       new_order_differs: losses_new_order != history["train_loss"][half:]
#       resume_identical: identical
#       resume_max_difference: difference
#       best_test_accuracy: best_test_accuracy
#     expect:
#       quick:
#       - train_size == 1000
#       - val_size == 1000
#       - test_size == 10000
#       - parameters == 203530
#       - round_trip_equal == 1
#       - resume_identical == 1
#       - resume_max_difference == 0
#       - weights_only_resume_differs == 1
#       - own_checkpoint_identical == 1
#       - bn_state_keys == 7
#       - bn_parameters == 4
#       - taken_follows_model == 1
#       - deep_copy_kept == 1
#       - 0.4 < best_val_loss < 0.6
#       - best_reloaded_equal == 1
#       - fresh_adam_first_loss > 1.2 * uninterrupted_first_loss
#       - weights_only_first_loss > 1.2 * uninterrupted_first_loss
#       - new_order_first_loss < 1.1 * uninterrupted_first_loss
#       - new_order_differs == 1
#       - best_test_accuracy >= 0.8
#       - 2.3e6 < best_pt_bytes < 2.6e6
#       full:
#       - train_size == 1000
#       - val_size == 1000
#       - test_size == 10000
#       - parameters == 203530
#       - round_trip_equal == 1
#       - resume_identical == 1
#       - resume_max_difference == 0
#       - weights_only_resume_differs == 1
#       - own_checkpoint_identical == 1
#       - bn_state_keys == 7
#       - bn_parameters == 4
#       - taken_follows_model == 1
#       - deep_copy_kept == 1
#       - last_val_loss > 1.05 * best_val_loss
#       - best_epoch < 20
#       - best_reloaded_equal == 1
#       - -0.01 < last_val_accuracy - best_val_accuracy < 0.01
#       - fresh_adam_first_loss > 1.7 * uninterrupted_first_loss
#       - weights_only_first_loss > 1.7 * uninterrupted_first_loss
#       - 0.95 * uninterrupted_first_loss < new_order_first_loss < 1.05 * uninterrupted_first_loss
#       - new_order_differs == 1
#       - best_test_accuracy >= 0.85
#       - 2.3e6 < best_pt_bytes < 2.6e6
#     translations:
#       es:
#         "in state_dict():       {bn_state_keys}": "en state_dict():       {bn_state_keys}"
#         "in named_parameters(): {bn_parameters}": "en named_parameters(): {bn_parameters}"
#         "# \"es\" or \"en\": the language of every message the course prints": "# \"es\" o \"en\": el idioma de todos los mensajes del curso"
#         "# passes over the training images in each training run": "# pasadas por las imágenes de entrenamiento en cada entrenamiento"
#         "# how many MNIST training images to train on (None: all but 1000)": "# con cuántas imágenes de MNIST entrenar (None: todas menos 1000)"
#         "# models this small train fastest on one CPU thread": "# modelos tan pequeños entrenan más rápido en un solo hilo de la CPU"
#         "images: {len(train_data)} training, {len(val_data)} validation, {len(test_set)} test": "imágenes: {len(train_data)} de entrenamiento, {len(val_data)} de validación, {len(test_set)} de prueba"
#         "A one-hidden-layer network for 28×28 images and 10 classes.": "Una red de una capa oculta para imágenes de 28×28 y 10 clases."
#         "A fresh model, optimizer and shuffling loader, as at the start of a run.": "Un modelo, un optimizador y un cargador que baraja, nuevos, como al empezar un entrenamiento."
#         "{parameters} parameters": "{parameters} parámetros"
#         "{name:<9} shape {tuple(tensor.shape)}": "{name:<9} forma {tuple(tensor.shape)}"
#         "keys: {list(optimizer_state)}, learning rate: {learning_rate}": "claves: {list(optimizer_state)}, tasa de aprendizaje: {learning_rate}"
#         "state of parameter 0: {list(optimizer_state['state'][0])}": "estado del parámetro 0: {list(optimizer_state['state'][0])}"
#         "keys missing or left over: {loaded.missing_keys + loaded.unexpected_keys}": "claves que faltan o sobran: {loaded.missing_keys + loaded.unexpected_keys}"
#         "same predictions: {round_trip_equal}": "mismas predicciones: {round_trip_equal}"
#         "# what pickle calls to rebuild the object: here, a print": "# lo que pickle llama para reconstruir el objeto: aquí, un print"
#         "This line was run by torch.load!": "¡Esta línea la ha ejecutado torch.load!"
#         "# what the file asked to import": "# lo que el archivo pedía importar"
#         "weights_only=True refused it: the file asks for {found}, not a tensor": "weights_only=True lo rechazó: el archivo pide {found}, que no es un tensor"
#         " · best so far, saved to best.pt": " · la mejor hasta ahora, guardada en best.pt"
#         "epoch {epoch:2d} · loss: training {train_loss:.3f}, validation {val_loss:.3f}{news}": "época {epoch:2d} · pérdida: entrenamiento {train_loss:.3f}, validación {val_loss:.3f}{news}"
#         "the last checkpoint: {done} epochs done, lowest validation loss {lowest:.4f}": "el último punto de control: {done} épocas hechas, menor pérdida de validación {lowest:.4f}"
#         "# the power goes off": "# se va la luz"
#         "# they take the rest of the file": "# se quedan con el resto del archivo"
#         "interrupted.pt holds the run after {epochs_done} of {NUM_EPOCHS} epochs": "interrupted.pt guarda el entrenamiento tras {epochs_done} de {NUM_EPOCHS} épocas"
#         "Restore a run from ``path`` and train it on ``device`` until ``num_epochs`` are done.": "Restaura un entrenamiento desde ``path`` y lo sigue en ``device`` hasta hacer ``num_epochs`` épocas."
#         "Save the model's and optimizer's state, the epochs done and the generator's state.": "Guarda el estado del modelo y del optimizador, las épocas hechas y el estado del generador."
#         "Restore what ``save_checkpoint`` saved into these objects; return the epochs done.": "Devuelve a estos objetos lo que guardó ``save_checkpoint``; devuelve las épocas hechas."
#         "# a restart: another seed": "# un reinicio: otra semilla"
#         "restored after {epochs_back} epoch(s); loss of epoch 2:": "restaurado tras {epochs_back} época(s); pérdida de la época 2:"
#         "uninterrupted {uninterrupted:.6f} · resumed {resumed:.6f}": "sin cortes {uninterrupted:.6f} · reanudado {resumed:.6f}"
#         "largest weight difference: {difference} · identical run: {identical}": "mayor diferencia entre pesos: {difference} · entrenamiento idéntico: {identical}"
#         "uninterrupted run": "entrenamiento sin cortes"
#         "Training loss (log scale)": "Pérdida de entrenamiento (escala logarítmica)"
#         "# a log scale shows the gaps between small losses": "# una escala logarítmica muestra las distancias entre pérdidas pequeñas"
#         "deleting the temporary folder and its {len(list(folder.iterdir()))} files": "se borra la carpeta temporal con sus {len(list(folder.iterdir()))} archivos"
#         "  uninterrupted run           {uninterrupted_first:.3f}": "  entrenamiento sin cortes    {uninterrupted_first:.3f}"
#         "  weights only                {losses_weights_only[0]:.3f}": "  solo los pesos              {losses_weights_only[0]:.3f}"
#         "  weights and optimizer       {losses_new_order[0]:.3f}": "  pesos y optimizador         {losses_new_order[0]:.3f}"
#         "  weights and generator       {losses_fresh_adam[0]:.3f}": "  pesos y generador           {losses_fresh_adam[0]:.3f}"
#         "# training mode: the statistics are updated in place": "# en modo de entrenamiento, las estadísticas se actualizan sobre los mismos tensores"
#         "Resume interrupted.pt restoring the weights and only what is asked; train the rest.": "Reanuda interrupted.pt restaurando los pesos y solo lo que se pide; entrena el resto."
#         "Resuming only in part": "Reanudar solo en parte"
#         "best epoch: {best['epoch']} · validation loss saved in best.pt: {best['best_metric']}": "mejor época: {best['epoch']} · pérdida de validación guardada en best.pt: {best['best_metric']}"
#         "validation loss of the reloaded model: {best_loss} · equal: {best_reloaded_equal}": "pérdida de validación del modelo recargado: {best_loss} · iguales: {best_reloaded_equal}"
#         "validation accuracy: best model {best_val_accuracy:.2%}, last model {last_val_accuracy:.2%}": "exactitud de validación: mejor modelo {best_val_accuracy:.2%}, último modelo {last_val_accuracy:.2%}"
#         "chosen model (epoch {best['epoch']}): test accuracy {best_test_accuracy:.2%}": "modelo elegido (época {best['epoch']}): exactitud en prueba {best_test_accuracy:.2%}"
#         "taken before": "tomado antes"
#         "deep copy": "copia profunda"
#         "{label:<14} · batches seen {batches} · running_mean equal to the model's: {same}": "{label:<14} · lotes vistos {batches} · running_mean igual al del modelo: {same}"
#         "training loss of epoch {half + 1}, the first one resumed:": "pérdida de entrenamiento de la época {half + 1}, la primera reanudada:"
#         "weights only": "solo los pesos"
#         "# a cell that needs an unwritten exercise says so in one line": "# una celda que necesita un ejercicio sin escribir lo dice en una línea"
#         "weights and optimizer (another order)": "pesos y optimizador (otro orden)"
#         "weights and generator (a fresh Adam)": "pesos y generador (un Adam nuevo)"
#     predictions:
#       state_dict_alias:
#         question: {es: "Tomas `taken = bn_model.state_dict()` y después `bn_model` hace una pasada hacia delante en modo de entrenamiento, que actualiza las estadísticas de su `BatchNorm1d`. ¿Coincide `taken[\"1.running_mean\"]` con el `running_mean` actual del modelo?", en: "You take `taken = bn_model.state_dict()`, then `bn_model` runs a forward pass in training mode, which updates the statistics of its `BatchNorm1d`. Does `taken[\"1.running_mean\"]` match the model's current `running_mean`?"}
#         answer: b
#         options:
#           a: {es: "No: el `state_dict` es una foto de aquel momento.", en: "No: the `state_dict` is a snapshot of that moment.", misconception: state_dict_is_copy, why: {es: "Sus tensores son los mismos que usa el modelo; para una foto, `copy.deepcopy` o `.clone()`.", en: "Its tensors are the very ones the model uses; for a snapshot, `copy.deepcopy` or `.clone()`."}}
#           b: {es: "Sí: el `state_dict` comparte los tensores del modelo.", en: "Yes: the `state_dict` shares the model's tensors.", why: {es: "La pasada hacia delante actualiza esos tensores en su sitio, y el cambio se ve a través de `taken`.", en: "The forward pass updates those tensors in place, and the change shows through `taken`."}}
#           c: {es: "Da un error: el modelo cambió después de tomarlo.", en: "It raises an error: the model changed after it was taken.", misconception: state_dict_tracks_versions, why: {es: "Nadie comprueba versiones: es un diccionario de tensores.", en: "Nothing checks versions: it is a dictionary of tensors."}}
#       pickled_load:
#         question: {es: "Un archivo `.pt` guarda un objeto hecho a medida cuya receta para reconstruirlo pide llamar a una función (aquí, un `print` inofensivo). ¿Qué hace `torch.load(ruta, weights_only=False)`?", en: "A `.pt` file holds a hand-made object whose recipe for rebuilding it asks to call a function (here, a harmless `print`). What does `torch.load(path, weights_only=False)` do?"}
#         answer: b
#         options:
#           a: {es: "Lo lee y ya: cargar datos no ejecuta nada.", en: "It reads it, that is all: loading data runs nothing.", misconception: loading_is_passive, why: {es: "Con `weights_only=False` usa `pickle`, que llama a cualquier función que el archivo pida al reconstruir un objeto.", en: "With `weights_only=False` it uses `pickle`, which calls any function the file asks for to rebuild an object."}}
#           b: {es: "Ejecuta la función que el archivo pide al reconstruir el objeto.", en: "It runs the function the file asks for while rebuilding the object.", why: {es: "`pickle` llama a lo que diga `__reduce__`: aquí un `print`, pero podría ser cualquier cosa.", en: "`pickle` calls whatever `__reduce__` names: a `print` here, but it could be anything."}}
#           c: {es: "Lo rechaza, como con `weights_only=True`.", en: "It refuses it, as with `weights_only=True`.", misconception: load_is_always_safe, why: {es: "Solo `weights_only=True` rechaza lo que no está en su lista de tipos; con `False` lo abre todo.", en: "Only `weights_only=True` refuses what is not on its list of types; with `False` it opens everything."}}
#       wrong_architecture:
#         question: {es: "Cargas en una red con 64 neuronas ocultas unos pesos guardados de una de 256. ¿Qué hace `load_state_dict`?", en: "You load weights saved from a network with 256 hidden units into one with 64. What does `load_state_dict` do?"}
#         answer: b
#         options:
#           a: {es: "Carga sin avisar lo que encaja y deja el resto al azar.", en: "It silently loads what fits and leaves the rest random.", misconception: load_is_partial, why: {es: "No sin avisar: lanza un error, incluso con `strict=False` (que tolera tensores que faltan o sobran, no formas distintas). Eso sí, los tensores que encajan se copian antes del error: no uses ese modelo.", en: "Not silently: it raises an error, even with `strict=False` (which tolerates missing or extra tensors, not different shapes). The tensors that fit are copied before the error, though: do not use that model."}}
#           b: {es: "Lanza un `RuntimeError` con un «size mismatch» por cada tensor que no encaja.", en: "It raises a `RuntimeError` with a “size mismatch” for every tensor that does not fit.", why: {es: "Compara la forma de cada tensor; hay que construir el modelo como se guardó.", en: "It compares every tensor's shape; build the model as it was saved."}}
#           c: {es: "Recorta los pesos a la forma nueva.", en: "It crops the weights to the new shape.", misconception: shapes_adapt, why: {es: "PyTorch nunca adapta formas al cargar: se niega.", en: "PyTorch never adapts shapes when loading: it refuses."}}
#     misconceptions:
#       state_dict_is_copy: {es: "cree que `state_dict()` devuelve una copia", en: "thinks `state_dict()` returns a copy"}
#       state_dict_tracks_versions: {es: "cree que un `state_dict` sabe si el modelo cambió", en: "thinks a `state_dict` knows whether the model changed"}
#       loading_is_passive: {es: "cree que cargar un archivo nunca ejecuta código", en: "thinks loading a file never runs code"}
#       load_is_always_safe: {es: "cree que `torch.load` es seguro con cualquier opción", en: "thinks `torch.load` is safe whatever its options"}
#       load_is_partial: {es: "cree que `load_state_dict` carga sin avisar lo que encaja", en: "thinks `load_state_dict` silently loads what fits"}
#       shapes_adapt: {es: "cree que los pesos se adaptan a otra forma al cargar", en: "thinks weights adapt to another shape when loaded"}
#   jupytext:
#     formats: py:percent
# ---

# %% [markdown] tags=["es"]
# # 06 · Guardar y cargar modelos
#
# Un modelo entrenado solo vive en la memoria del cuaderno: si el cuaderno
# se reinicia, se pierde. En esta lección lo guardas en un archivo y lo
# recuperas, y das un paso más: guardas todo lo necesario para **retomar**
# un entrenamiento cortado exactamente donde se quedó.
#
# Al terminar sabrás:
#
# - qué es el `state_dict` y por qué el curso guarda eso y no el objeto del modelo entero;
# - guardar y cargar con `torch.save` y `torch.load(..., weights_only=True)`, y para qué sirve
#   `map_location`;
# - quedarte con el mejor modelo según la validación y recargarlo para la prueba final;
# - leer el error que aparece al cargar pesos en una arquitectura distinta;
# - escribir tú un punto de control completo (modelo, optimizador, épocas, generador) y leerlo
#   sin ejecutar código ajeno;
# - reanudar con él un entrenamiento idéntico al que no se cortó.

# %% [markdown] tags=["en"]
# # 06 · Saving and loading models
#
# A trained model only lives in the notebook's memory: if the kernel
# restarts, it is gone. In this lesson you save it to a file and get it
# back, and you go one step further: you save everything needed to
# **resume** an interrupted training run exactly where it stopped.
#
# By the end you will know:
#
# - what the `state_dict` is and why the course saves that rather than the whole model object;
# - how to save and load with `torch.save` and `torch.load(..., weights_only=True)`, and what
#   `map_location` is for;
# - how to keep the best model according to validation and reload it for the final test;
# - how to read the error you get when loading weights into a different architecture;
# - how to write a full checkpoint yourself (model, optimizer, epochs, generator) and read it
#   without running anyone else's code;
# - how to resume with it a run identical to the uninterrupted one.

# %% tags=["parameters"]
LANG = "es"  # "es" or "en": the language of every message the course prints
NUM_EPOCHS = 20  # passes over the training images in each training run
TRAIN_SUBSET = 1000  # how many MNIST training images to train on (None: all but 1000)
SEED = 0

# %%
import copy
import tempfile
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

from course_utils import checkpoint, checks, data, device, i18n, plots, train
from course_utils.checks import checkpoint as check
from course_utils.checks import checkpoint_dict as check_dict

i18n.set_language(LANG)
checks.wait_for_exercises()  # a cell that needs an unwritten exercise says so in one line
torch.set_num_threads(1)  # models this small train fastest on one CPU thread
dev = device.pick()

# %% [markdown] tags=["es"]
# ## Un problema pequeño
#
# Para que todo vaya rápido usamos pocas imágenes de MNIST: un subconjunto
# para entrenar, 1000 imágenes más para validar y las 10 000 de prueba. Con
# tan pocos datos de entrenamiento, la red acabará memorizándolos, y eso nos
# vendrá bien para hablar del mejor modelo.

# %% [markdown] tags=["en"]
# ## A small problem
#
# To keep everything fast we use few MNIST images: a subset for training,
# 1000 more images for validation, and the 10,000 test ones. With so little
# training data the network will end up memorizing it, which will come in
# handy when we talk about the best model.

# %% tags=["nbval-check-output"]
full_train = data.mnist_tensors(train=True, normalize=(0.5, 0.5))
test_set = data.mnist_tensors(train=False, normalize=(0.5, 0.5))
n_train = TRAIN_SUBSET or len(full_train) - 1000
pool = data.subset(full_train, n_train + 1000, seed=SEED)
train_data, val_data = data.split(pool, [n_train, 1000], seed=SEED)
val_loader = DataLoader(val_data, batch_size=1000)
test_loader = DataLoader(test_set, batch_size=1000)
print(f"images: {len(train_data)} training, {len(val_data)} validation, {len(test_set)} test")

# %% [markdown] tags=["es"]
# Los **hiperparámetros** (tamaño de la capa oculta, tasa de aprendizaje,
# tamaño de lote) van en un diccionario, porque también los guardaremos.
# `make_run` prepara lo que hay al empezar un entrenamiento: un modelo
# nuevo, su optimizador Adam y un `DataLoader` que baraja con su propio
# generador, todo a partir de una semilla.

# %% [markdown] tags=["en"]
# The **hyperparameters** (hidden layer size, learning rate, batch size)
# go in a dictionary, because we will save them too. `make_run` prepares
# what exists when a training run starts: a fresh model, its Adam optimizer
# and a `DataLoader` that shuffles with its own generator, all from one seed.

# %%
hparams = {"hidden": 256, "lr": 0.002, "batch_size": 64}
criterion = nn.CrossEntropyLoss()


def make_model(hidden: int) -> nn.Module:
    """A one-hidden-layer network for 28×28 images and 10 classes."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def make_run(seed_value: int):
    """A fresh model, optimizer and shuffling loader, as at the start of a run."""
    torch.manual_seed(seed_value)
    model = make_model(hparams["hidden"]).to(dev)
    optimizer = torch.optim.Adam(model.parameters(), lr=hparams["lr"])
    shuffle = torch.Generator().manual_seed(seed_value)
    loader = DataLoader(train_data, hparams["batch_size"], shuffle=True, generator=shuffle)
    return model, optimizer, loader


# %% [markdown] tags=["es"]
# ## Qué se guarda: el `state_dict`
#
# Entrenamos una época y miramos dentro. `model.state_dict()` es un
# diccionario que asocia el nombre de cada tensor del modelo con sus
# valores: solo números, nada de código. El nombre `1.weight` significa «el
# peso de la capa número 1 del `Sequential`» (la 0 es `Flatten`, que no
# tiene pesos).

# %% [markdown] tags=["en"]
# ## What gets saved: the `state_dict`
#
# We train one epoch and look inside. `model.state_dict()` is a dictionary
# mapping the name of each of the model's tensors to its values: numbers
# only, no code. The name `1.weight` means "the weight of layer number 1 of
# the `Sequential`" (layer 0 is `Flatten`, which has no weights).

# %% tags=["nbval-check-output"]
model, optimizer, train_loader = make_run(SEED)
train.train_epoch(model, train_loader, criterion, optimizer, dev)
for name, tensor in model.state_dict().items():
    print(f"{name:<9} shape {tuple(tensor.shape)}")
parameters = sum(p.numel() for p in model.parameters())
print(f"{parameters} parameters")

# %% [markdown] tags=["es"]
# Aquí los cuatro tensores son parámetros, pero el `state_dict` guarda algo
# más: los **búferes persistentes**, tensores del modelo que no entrena el
# optimizador. Los viste en la lección 04: una capa `BatchNorm1d` lleva,
# además de sus parámetros `weight` y `bias`, sus estadísticas acumuladas
# (`running_mean`, `running_var`) y el número de lotes vistos
# (`num_batches_tracked`). Están en `state_dict()` pero no en
# `parameters()`: el optimizador no los entrena, pero sin ellos el modelo
# no predice igual en modo de evaluación.

# %% [markdown] tags=["en"]
# Here the four tensors are parameters, but the `state_dict` holds
# something more: the **persistent buffers**, tensors of the model that the
# optimizer does not train. You saw them in lesson 04: a `BatchNorm1d` layer
# carries, besides its parameters `weight` and `bias`, its running
# statistics (`running_mean`, `running_var`) and the number of batches seen
# (`num_batches_tracked`). They are in `state_dict()` but not in
# `parameters()`: the optimizer does not train them, but without them the
# model does not predict the same in evaluation mode.

# %% tags=["nbval-check-output"]
bn_model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
bn_state_keys = list(bn_model.state_dict())
bn_parameters = [name for name, _ in bn_model.named_parameters()]
print(f"in state_dict():       {bn_state_keys}")
print(f"in named_parameters(): {bn_parameters}")

# %% [markdown] tags=["prediction"]
# state_dict_alias

# %% [markdown] tags=["es"]
# Otro detalle: los tensores del `state_dict` no son una copia, son los
# mismos que usa el modelo. Si el modelo cambia después, un `state_dict`
# tomado antes cambia con él. Aquí una pasada hacia delante en modo de
# entrenamiento actualiza las estadísticas de la capa `BatchNorm1d`: el
# `state_dict` tomado antes lo refleja, la copia hecha con `copy.deepcopy`
# no. Para guardar en memoria el estado de un momento (como el mejor modelo
# de la lección 02) copia los tensores, con `copy.deepcopy` o con
# `.clone()` en cada uno; `torch.save` no tiene este problema, porque
# escribe los valores en el disco en el momento de llamarlo.

# %% [markdown] tags=["en"]
# Another detail: the tensors of the `state_dict` are not a copy, they are
# the very ones the model uses. If the model changes later, a `state_dict`
# taken before changes with it. Here a forward pass in training mode
# updates the statistics of the `BatchNorm1d` layer: the `state_dict` taken
# before shows it, the copy made with `copy.deepcopy` does not. To keep in
# memory the state of one moment (like lesson 02's best model), copy the
# tensors, with `copy.deepcopy` or with `.clone()` on each one; `torch.save`
# does not have this problem, because it writes the values to disk at the
# moment you call it.

# %% tags=["nbval-check-output"]
taken = bn_model.state_dict()
kept = copy.deepcopy(taken)
bn_model(torch.randn(8, 4))  # training mode: the statistics are updated in place
for label, state in (("taken before", taken), ("deep copy", kept)):
    batches = state["1.num_batches_tracked"].item()
    same = torch.equal(state["1.running_mean"], bn_model[1].running_mean)
    print(f"{label:<14} · batches seen {batches} · running_mean equal to the model's: {same}")
follows = torch.equal(taken["1.running_mean"], bn_model[1].running_mean)

# %% [markdown] tags=["reveal"]
# state_dict_alias

# %% [markdown] tags=["es"]
# El optimizador también tiene su `state_dict`: sus ajustes (`param_groups`,
# con la tasa de aprendizaje) y su estado por parámetro (`state`). Adam
# guarda para cada peso un contador de pasos, una media móvil de sus
# gradientes (`exp_avg`) y otra de sus gradientes al cuadrado
# (`exp_avg_sq`); sin ellas, un entrenamiento retomado no seguiría igual.

# %% [markdown] tags=["en"]
# The optimizer has its own `state_dict` too: its settings (`param_groups`,
# with the learning rate) and its per-parameter state (`state`). Adam keeps
# for every weight a step counter, a running average of its gradients
# (`exp_avg`) and another of its squared gradients (`exp_avg_sq`); without
# them, a resumed run would not carry on the same way.

# %% tags=["nbval-check-output"]
optimizer_state = optimizer.state_dict()
learning_rate = optimizer_state["param_groups"][0]["lr"]
print(f"keys: {list(optimizer_state)}, learning rate: {learning_rate}")
print(f"state of parameter 0: {list(optimizer_state['state'][0])}")

# %% [markdown] tags=["es"]
# ## Guardar y cargar los pesos
#
# `torch.save` escribe cualquier diccionario de tensores en un archivo, y
# `torch.load` lo lee. Para recuperar el modelo se crea uno con la **misma
# arquitectura** y se le cargan los pesos con `load_state_dict`. Guardamos
# en una carpeta temporal que la última celda borra; en tus proyectos usa
# una carpeta como `checkpoints/`, fuera del control de versiones.
#
# `torch.load(..., weights_only=True)` solo reconstruye una lista cerrada de
# tipos: tensores (también `nn.Parameter`); los valores simples de Python
# (`None`, booleanos, enteros, reales, complejos, textos, `bytes`); listas,
# tuplas, conjuntos y diccionarios, también `OrderedDict` (un `state_dict`
# lo es) y `Counter`; y de PyTorch, `torch.Size`, `torch.device` y los
# tipos de dato como `torch.float32`. Además admite las clases y funciones
# que registres tú con `torch.serialization.add_safe_globals`. Cualquier
# otra cosa la rechaza. Desde PyTorch 2.6 es lo que hace `torch.load` si no
# se le dice nada; aquí lo escribimos para dejarlo claro.
# Es mucho más seguro que abrir el archivo sin límites, pero no infalible:
# se han encontrado fallos que permitían ejecutar código igualmente, así que
# mantén PyTorch al día y desconfía de archivos de origen dudoso. Y
# `map_location` dice dónde dejar los tensores: un archivo guardado en una
# GPU recuerda ese dispositivo, y con `map_location="cpu"` se carga en un
# portátil sin GPU (o con `map_location=dev`, en el dispositivo que uses).

# %% [markdown] tags=["en"]
# ## Saving and loading the weights
#
# `torch.save` writes any dictionary of tensors to a file, and `torch.load`
# reads it back. To get the model back you create one with the **same
# architecture** and load the weights into it with `load_state_dict`. We
# save into a temporary folder that the last cell deletes; in your projects
# use a folder such as `checkpoints/`, kept out of version control.
#
# `torch.load(..., weights_only=True)` only rebuilds a closed list of
# types: tensors (`nn.Parameter` too); Python's plain values (`None`,
# booleans, integers, floats, complex numbers, strings, `bytes`); lists,
# tuples, sets and dictionaries, `OrderedDict` (a `state_dict` is one) and
# `Counter` too; and from PyTorch, `torch.Size`, `torch.device` and data
# types such as `torch.float32`. It also accepts the classes and functions
# you register yourself with `torch.serialization.add_safe_globals`. It
# refuses anything else. Since PyTorch 2.6 it is what `torch.load` does
# when told nothing; we write it here to make it explicit.
# It is much safer than opening the file with no limits, but not foolproof:
# flaws have been found that let code run anyway, so keep PyTorch up to
# date and be wary of files of doubtful origin. And
# `map_location` says where to put the tensors: a file saved on a GPU
# remembers that device, and with `map_location="cpu"` it loads on a laptop
# without one (or with `map_location=dev`, on whatever device you use).

# %%
workdir = tempfile.TemporaryDirectory(prefix="lesson06_")
folder = Path(workdir.name)
torch.save(model.state_dict(), folder / "weights.pt")

restored = make_model(hparams["hidden"]).to(dev)
weights = torch.load(folder / "weights.pt", map_location=dev, weights_only=True)
loaded = restored.load_state_dict(weights)
print(f"keys missing or left over: {loaded.missing_keys + loaded.unexpected_keys}")
X_val = next(iter(val_loader))[0].to(dev)
with torch.no_grad():
    round_trip_equal = torch.equal(model(X_val), restored(X_val))
print(f"same predictions: {round_trip_equal}")

# %% [markdown] tags=["es"]
# ## ¿Por qué no guardar el modelo entero?

# %% [markdown] tags=["en"]
# ## Why not save the whole model?

# %% [markdown] tags=["prediction"]
# pickled_load

# %% [markdown] tags=["es"]
# `torch.save(model)` también funciona: guarda el objeto con `pickle`, el
# formato de serialización de Python. Pero `pickle` no guarda el código de
# la clase, solo su nombre y dónde importarla; si mañana cambias de sitio o
# de nombre la clase, el archivo deja de abrirse. Y lo más grave: al
# cargar, `pickle` puede **ejecutar cualquier código** que el archivo le
# pida. Un archivo descargado de internet podría borrar tus datos.
#
# Aquí va una prueba inofensiva: un objeto que, al cargarse, ejecuta un
# `print`. Con `weights_only=True` PyTorch se niega a abrirlo (y dice qué
# se encontró); con `weights_only=False` el código se ejecuta. Por eso el
# curso guarda siempre `state_dict` y carga con `weights_only=True`.
#
# Por lo mismo, desde PyTorch 2.6 un modelo guardado entero ya no se abre con
# un simple `torch.load(ruta)`: falla con un `UnpicklingError` que habla de
# un *global* no admitido, porque el archivo pide clases como
# `nn.Sequential`. Si el archivo es tuyo, puedes admitir esas clases con
# `torch.serialization.add_safe_globals([nn.Sequential, nn.Flatten, nn.Linear, nn.ReLU])`
# antes de cargar, o abrirlo con `weights_only=False`; lo sencillo es guardar
# el `state_dict`. Y para compartir pesos existe el formato `safetensors`
# (el de Hugging Face): guarda solo tensores, sin `pickle`, así que cargarlo
# no puede ejecutar código.

# %% [markdown] tags=["en"]
# `torch.save(model)` works too: it stores the object with `pickle`,
# Python's serialization format. But `pickle` does not store the class's
# code, only its name and where to import it from; if tomorrow you move or
# rename the class, the file no longer opens. Worse still: when loading,
# `pickle` can **run any code** the file asks for. A file downloaded from
# the internet could wipe your data.
#
# Here is a harmless test: an object that, when loaded, runs a `print`.
# With `weights_only=True` PyTorch refuses to open it (and says what it
# found); with `weights_only=False` the code runs. That is why the course
# always saves the `state_dict` and loads with `weights_only=True`.
#
# For the same reason, since PyTorch 2.6 a model saved whole no longer opens
# with a plain `torch.load(path)`: it fails with an `UnpicklingError` about
# an unsupported *global*, because the file asks for classes such as
# `nn.Sequential`. If the file is yours, you can allow those classes with
# `torch.serialization.add_safe_globals([nn.Sequential, nn.Flatten, nn.Linear, nn.ReLU])`
# before loading, or open it with `weights_only=False`; the simple way is to
# save the `state_dict`. And to share weights there is the `safetensors`
# format (Hugging Face's): it stores tensors only, with no `pickle`, so
# loading it cannot run code.


# %%
class Surprise:
    def __reduce__(self):  # what pickle calls to rebuild the object: here, a print
        return (print, ("This line was run by torch.load!",))


torch.save({"weights": Surprise()}, folder / "gift.pt")
try:
    torch.load(folder / "gift.pt", weights_only=True)
except Exception as error:
    found = str(error).split("GLOBAL ")[1].split()[0]  # what the file asked to import
    print(f"weights_only=True refused it: the file asks for {found}, not a tensor")
unpickled = torch.load(folder / "gift.pt", weights_only=False)

# %% [markdown] tags=["reveal"]
# pickled_load

# %% [markdown] tags=["es"]
# ## Un punto de control completo
#
# Para **reanudar** un entrenamiento no bastan los pesos. El archivo que
# guarda todo lo necesario se llama **punto de control** (en inglés,
# *checkpoint*). Hace falta:
#
# - los pesos del modelo (`model.state_dict()`);
# - el estado del optimizador, con los momentos de Adam;
# - cuántas épocas se hicieron, para seguir por la siguiente;
# - la mejor métrica de validación vista, para seguir guardando el mejor modelo;
# - los hiperparámetros, para reconstruir la misma arquitectura;
# - el estado del generador que baraja los datos, para que los lotes salgan en el mismo orden.
#
# Este problema no necesita más. Un entrenamiento real suele pedir también
# el estado del planificador de la tasa de aprendizaje
# (`scheduler.state_dict()`), el de los generadores aleatorios si hay
# dropout o aumento de datos (`random`, NumPy, `torch.get_rng_state()` y, en
# GPU, `torch.cuda.get_rng_state_all()`) y el del `GradScaler` si entrena
# con precisión mixta. En GPU, además, una reanudación idéntica bit a bit
# exige algoritmos deterministas (`torch.use_deterministic_algorithms(True)`):
# muchas operaciones de CUDA no dan el mismo resultado en cada ejecución.
#
# ### Ejercicio: tu propio punto de control
#
# Antes de usar las funciones del curso, escribe las tuyas:
#
# - `save_checkpoint(path, model, optimizer, epoch, generator)` guarda con
#   `torch.save` un diccionario con los `state_dict()` del modelo y del
#   optimizador, las épocas hechas (`epoch`) y el estado del generador
#   (`generator.get_state()`, un tensor de bytes). Solo tensores y valores
#   simples: así el archivo se puede leer con `weights_only=True`.
# - `load_checkpoint(path, model, optimizer, generator)` lo lee con
#   `torch.load(path, weights_only=True)`, devuelve cada estado a su objeto
#   (`load_state_dict`, `generator.set_state`) y devuelve las épocas hechas.
#
# Los nombres de las claves los eliges tú. La comprobación guarda con tu
# función un entrenamiento a medias, lo carga con la otra en objetos
# nuevos y mira que todo vuelva; también le pasa a `load_checkpoint` un
# archivo manipulado que lleva código escondido, que no debe ejecutarse.

# %% [markdown] tags=["en"]
# ## A full checkpoint
#
# To **resume** training, weights are not enough. The file that holds
# everything needed is called a **checkpoint**. You need:
#
# - the model's weights (`model.state_dict()`);
# - the optimizer's state, with Adam's moments;
# - how many epochs were done, to carry on with the next one;
# - the best validation metric seen, to keep saving the best model;
# - the hyperparameters, to rebuild the same architecture;
# - the state of the generator that shuffles the data, so the batches come in the same order.
#
# This problem needs nothing more. A real run usually also needs the state
# of the learning-rate scheduler (`scheduler.state_dict()`), that of the
# random generators if there is dropout or data augmentation (`random`,
# NumPy, `torch.get_rng_state()` and, on a GPU,
# `torch.cuda.get_rng_state_all()`) and that of the `GradScaler` if it
# trains in mixed precision. On a GPU, besides, a bit-for-bit identical
# resume requires deterministic algorithms
# (`torch.use_deterministic_algorithms(True)`): many CUDA operations do not
# give the same result on every run.
#
# ### Exercise: your own checkpoint
#
# Before using the course's functions, write your own:
#
# - `save_checkpoint(path, model, optimizer, epoch, generator)` saves with
#   `torch.save` a dictionary with the model's and the optimizer's
#   `state_dict()`, the epochs done (`epoch`) and the generator's state
#   (`generator.get_state()`, a tensor of bytes). Only tensors and plain
#   values: that way the file can be read with `weights_only=True`.
# - `load_checkpoint(path, model, optimizer, generator)` reads it with
#   `torch.load(path, weights_only=True)`, gives each state back to its
#   object (`load_state_dict`, `generator.set_state`) and returns the epochs
#   done.
#
# You choose the names of the keys. The check saves a half-done run with
# your first function, loads it with the other into fresh objects and
# makes sure everything comes back; it also hands `load_checkpoint` a
# tampered file carrying hidden code, which must not run.


# %%
def save_checkpoint(path, model, optimizer, epoch: int, generator) -> None:
    """Save the model's and optimizer's state, the epochs done and the generator's state."""
    ### BEGIN SOLUTION
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "epoch": epoch,
        "generator": generator.get_state(),
    }
    torch.save(state, path)
    ### END SOLUTION


# %%
def load_checkpoint(path, model, optimizer, generator) -> int:
    """Restore what ``save_checkpoint`` saved into these objects; return the epochs done."""
    ### BEGIN SOLUTION
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    generator.set_state(state["generator"])
    return state["epoch"]
    ### END SOLUTION


# %% tags=["check"]
check_dict.checkpoint_dict(save_checkpoint, load_checkpoint)

# %% [markdown] tags=["es"]
# Con tus dos funciones, un corte tras la primera época: el entrenamiento
# retomado en objetos nuevos (creados con otra semilla) hace la segunda
# época igual que el que no se cortó.

# %% [markdown] tags=["en"]
# With your two functions, a cut after the first epoch: the run taken up
# again in fresh objects (made with another seed) does the second epoch
# just like the one that was not cut.

# %% tags=["nbval-check-output", "raises-exception"]
own_model, own_optimizer, own_loader = make_run(SEED)
train.train_epoch(own_model, own_loader, criterion, own_optimizer, dev)
save_checkpoint(folder / "mine.pt", own_model, own_optimizer, 1, own_loader.generator)
uninterrupted = train.train_epoch(own_model, own_loader, criterion, own_optimizer, dev)
back_model, back_optimizer, back_loader = make_run(SEED + 1)  # a restart: another seed
epochs_back = load_checkpoint(folder / "mine.pt", back_model, back_optimizer, back_loader.generator)
resumed = train.train_epoch(back_model, back_loader, criterion, back_optimizer, dev)
print(f"restored after {epochs_back} epoch(s); loss of epoch 2:")
print(f"uninterrupted {uninterrupted:.6f} · resumed {resumed:.6f}")

# %% [markdown] tags=["es"]
# `checkpoint.save` y `checkpoint.load` de `course_utils` hacen lo mismo que
# tus funciones y algo más. Guardan también la mejor métrica de validación
# y los hiperparámetros. `save` escribe primero un archivo temporal en la
# misma carpeta y solo al final lo renombra (`os.replace`, que es atómico):
# si el guardado se corta a medias, el punto de control anterior sigue intacto. Y
# `load` comprueba que el archivo encaja con tu modelo antes de tocar nada,
# y si no, explica por qué. Las usamos en el bucle que sigue; para reanudar
# volveremos a las tuyas.
#
# Este es un bucle de entrenamiento realista: tras cada época valida,
# guarda `last.pt` y, si la pérdida de validación mejora, también
# `best.pt`. Es la idea del mejor modelo de la lección 02, ahora en disco.

# %% [markdown] tags=["en"]
# `checkpoint.save` and `checkpoint.load` from `course_utils` do what your
# functions do, and a little more. They also store the best validation
# metric and the hyperparameters. `save` first writes a temporary file in
# the same folder and only renames it at the end (`os.replace`, which is
# atomic): if saving is cut short, the previous checkpoint stays intact.
# And `load` checks that the file fits your model before touching
# anything, and if not, explains why. We use them in the loop that follows;
# to resume, we will come back to yours.
#
# Here is a realistic training loop: after every epoch it validates, saves
# `last.pt` and, if the validation loss improves, also `best.pt`. It is
# lesson 02's best-model idea, now on disk.

# %%
model, optimizer, train_loader = make_run(SEED)
history, best_val_loss = {"train_loss": [], "val_loss": [], "val_acc": []}, float("inf")
for epoch in range(1, NUM_EPOCHS + 1):
    train_loss = train.train_epoch(model, train_loader, criterion, optimizer, dev)
    val_loss, val_accuracy = train.evaluate(model, val_loader, criterion, dev)
    for key, value in zip(history, (train_loss, val_loss, val_accuracy), strict=True):
        history[key].append(value)
    improved, best_val_loss = val_loss < best_val_loss, min(val_loss, best_val_loss)
    state = {"epoch": epoch, "best_metric": best_val_loss, "hparams": hparams}
    checkpoint.save(folder / "last.pt", model, optimizer, generator=train_loader.generator, **state)
    if improved:
        checkpoint.save(folder / "best.pt", model, optimizer, **state)
    news = " · best so far, saved to best.pt" if improved else ""
    print(f"epoch {epoch:2d} · loss: training {train_loss:.3f}, validation {val_loss:.3f}{news}")

# %% [markdown] tags=["es"]
# Las curvas muestran lo que anunciábamos: la pérdida de entrenamiento no
# deja de bajar, pero la de validación toca fondo hacia la mitad y luego,
# entre altibajos, tiende a subir (al final está más de un 5% por encima
# de su mínimo), porque la red empieza a memorizar sus pocas imágenes.
# `best.pt` se quedó con la época del fondo; `last.pt`, con la última.

# %% [markdown] tags=["en"]
# The curves show what we announced: the training loss keeps going down,
# but the validation loss bottoms out around the middle and then, with ups
# and downs, tends to climb (by the end it is more than 5% above its
# minimum), because the network starts memorizing its few images.
# `best.pt` kept the epoch at the bottom; `last.pt`, the last one.

# %%
fig = plots.curves(history)
last_state = torch.load(folder / "last.pt", weights_only=True)
done, lowest = last_state["epoch"], last_state["best_metric"]
print(f"the last checkpoint: {done} epochs done, lowest validation loss {lowest:.4f}")

# %% [markdown] tags=["es"]
# ## Recargar el mejor modelo
#
# Para la prueba final queremos el modelo de la mejor época de validación,
# no el último. Se reconstruye a partir de los hiperparámetros guardados y
# se cargan sus pesos. ¿Es de verdad el mismo modelo? Lo medimos otra vez
# con los datos de validación y comparamos con la pérdida que se guardó con
# él, con todos sus decimales.

# %% [markdown] tags=["en"]
# ## Reloading the best model
#
# For the final test we want the model of the best validation epoch, not
# the last one. It is rebuilt from the saved hyperparameters and its
# weights are loaded. Is it really the same model? We measure it again on
# the validation data and compare with the loss saved with it, every
# decimal of it.

# %%
saved_hparams = torch.load(folder / "best.pt", weights_only=True)["hparams"]
best_model = make_model(saved_hparams["hidden"]).to(dev)
best = checkpoint.load(folder / "best.pt", best_model)
best_loss, best_val_accuracy = train.evaluate(best_model, val_loader, criterion, dev)
best_reloaded_equal = best_loss == best["best_metric"]
last_val_accuracy = history["val_acc"][-1]
print(f"best epoch: {best['epoch']} · validation loss saved in best.pt: {best['best_metric']}")
print(f"validation loss of the reloaded model: {best_loss} · equal: {best_reloaded_equal}")
print(
    f"validation accuracy: best model {best_val_accuracy:.2%}, last model {last_val_accuracy:.2%}"
)

# %% [markdown] tags=["es"]
# La pérdida de validación del modelo recargado es exactamente la que se
# guardó con él, hasta el último decimal. Fíjate también en la exactitud de
# validación: el último modelo acierta prácticamente lo mismo que el mejor
# (a menos de un punto), aunque su pérdida de validación está más de un 5%
# por encima. No es una contradicción: la pérdida sube antes de que
# empeoren los aciertos, porque el modelo se vuelve demasiado seguro de sus
# errores. Elegimos por la pérdida de validación, un criterio fijado antes
# de mirar los resultados, y con ese criterio la elección es `best.pt`.
# Todo se ha comparado y elegido con la validación; el conjunto de prueba
# no se ha usado aún, y solo lo usaremos una vez, al final de la lección,
# con el modelo elegido.
#
# Otra regla: tras cargar un modelo para predecir, llama a `model.eval()`.
# Esta red no tiene dropout ni BatchNorm, así que aquí no cambiaría nada (y
# `train.evaluate` ya lo hace), pero con ellos olvidarlo cambia las
# predicciones, como viste en las lecciones 03 y 04.

# %% [markdown] tags=["en"]
# The reloaded model's validation loss is exactly the one saved with it,
# down to the last decimal. Look at the validation accuracy too: the last
# model gets practically as many right as the best one (within one point),
# although its validation loss is more than 5% higher. That is no
# contradiction: the loss rises before the accuracy gets worse, because the
# model becomes too sure of its mistakes. We choose by the validation loss,
# a criterion set before looking at the results, and by that criterion the
# choice is `best.pt`. Everything has been compared and chosen with
# validation; the test set has not been used yet, and we will use it only
# once, at the end of the lesson, with the chosen model.
#
# Another rule: after loading a model to predict, call `model.eval()`. This
# network has no dropout or BatchNorm, so here it would change nothing (and
# `train.evaluate` already does it), but with them forgetting it changes the
# predictions, as you saw in lessons 03 and 04.

# %% [markdown] tags=["es"]
# ## Cargar en la arquitectura equivocada
#
# Un error muy común: construir el modelo con otros hiperparámetros que los
# del archivo. Aquí, una capa oculta de 64 neuronas en vez de 256.

# %% [markdown] tags=["en"]
# ## Loading into the wrong architecture
#
# A very common mistake: building the model with other hyperparameters than
# the file's. Here, a hidden layer of 64 neurons instead of 256.

# %% [markdown] tags=["prediction"]
# wrong_architecture

# %% [markdown] tags=["es"]
# PyTorch lo detecta y lanza un `RuntimeError` con una línea por tensor que
# no encaja.

# %% [markdown] tags=["en"]
# PyTorch notices and raises a `RuntimeError` with one line per tensor that
# does not fit.

# %% tags=["library-text"]
wrong = make_model(hidden=64)
try:
    wrong.load_state_dict(torch.load(folder / "weights.pt", weights_only=True))
except RuntimeError as error:
    print(error)

# %% [markdown] tags=["reveal"]
# wrong_architecture

# %% [markdown] tags=["es"]
# Cómo leerlo: `size mismatch for 1.weight` nombra el tensor (el peso de la
# capa 1); *from checkpoint* es la forma que trae el archivo, `[256, 784]`,
# y *current model* la de tu modelo, `[64, 784]`. La primera dimensión de
# un peso de `nn.Linear` es su número de salidas: el archivo es de una capa
# de 256 neuronas. El remedio es construir el modelo igual que cuando se
# guardó, y para eso sirven los hiperparámetros del punto de control.
# `load_state_dict(..., strict=False)` no lo arregla: solo tolera tensores
# que falten o sobren (y los devuelve en `missing_keys` y
# `unexpected_keys`), lo que sirve para cargar parte de un modelo; una forma
# distinta sigue siendo un error.
#
# `checkpoint.load` comprueba la huella de la arquitectura (nombre y forma
# de cada tensor) antes de cargar nada, y explica en el idioma del cuaderno
# qué difiere y qué hacer. Lo mismo con un archivo a medio escribir, aquí
# simulado con los primeros 50 000 bytes de `best.pt`, que ocupa unos 2.4 MB.

# %% [markdown] tags=["en"]
# How to read it: `size mismatch for 1.weight` names the tensor (the weight
# of layer 1); *from checkpoint* is the shape the file brings, `[256, 784]`,
# and *current model* is your model's, `[64, 784]`. The first dimension of
# an `nn.Linear` weight is its number of outputs: the file comes from a
# layer of 256 neurons. The fix is to build the model as it was when saved,
# and that is what the checkpoint's hyperparameters are for.
# `load_state_dict(..., strict=False)` does not fix it: it only tolerates
# missing or extra tensors (and returns them in `missing_keys` and
# `unexpected_keys`), which helps to load part of a model; a different shape
# is still an error.
#
# `checkpoint.load` checks the architecture's fingerprint (the name and
# shape of every tensor) before loading anything, and explains in the
# notebook's language what differs and what to do. The same goes for a
# half-written file, simulated here with the first 50,000 bytes of `best.pt`,
# which takes about 2.4 MB.

# %%
best_bytes = (folder / "best.pt").read_bytes()
broken = folder / "broken.pt"
broken.write_bytes(best_bytes[:50_000])
for path, target in ((folder / "best.pt", wrong), (broken, best_model)):
    try:
        checkpoint.load(path, target)
    except checkpoint.CheckpointError as error:
        print(error, end="\n\n")

# %% [markdown] tags=["es"]
# ## Reanudar un entrenamiento cortado
#
# Ahora imagina que el mismo entrenamiento se corta a mitad (se va la luz,
# se acaba el tiempo de la sesión). Lo repetimos con las mismas semillas
# hasta la mitad de las épocas, guardando `interrupted.pt` tras cada una con
# tu `save_checkpoint`, y borramos el modelo como haría un reinicio.

# %% [markdown] tags=["en"]
# ## Resuming an interrupted run
#
# Now imagine the same run is cut halfway (a power cut, the session runs
# out of time). We repeat it with the same seeds up to half the epochs,
# saving `interrupted.pt` after each one with your `save_checkpoint`, and
# delete the model as a restart would.

# %% tags=["raises-exception"]
half = NUM_EPOCHS // 2
model_b, optimizer_b, loader_b = make_run(SEED)
for epochs_done in range(1, half + 1):
    train.train_epoch(model_b, loader_b, criterion, optimizer_b, dev)
    save_checkpoint(
        folder / "interrupted.pt", model_b, optimizer_b, epochs_done, loader_b.generator
    )
print(f"interrupted.pt holds the run after {epochs_done} of {NUM_EPOCHS} epochs")
del model_b, optimizer_b, loader_b  # the power goes off

# %% [markdown] tags=["es"]
# ¿Bastan los pesos para seguir? Probémoslo con tres reanudaciones
# parciales. Cada una empieza con objetos nuevos creados con **otra**
# semilla, como tras un reinicio; tu `load_checkpoint` restaura desde
# `interrupted.pt` solo una parte de ellos (el resto del archivo va a
# objetos de sobra), y luego se entrenan las épocas que faltan:
#
# - solo los pesos: el optimizador Adam empieza de cero y los lotes llegan en otro orden;
# - los pesos y el optimizador: solo cambia el orden de los lotes;
# - los pesos y el generador: solo cambia el optimizador, un Adam nuevo.
#
# Así cada causa de diferencia se ve por separado.

# %% [markdown] tags=["en"]
# Are the weights enough to carry on? Let us try three partial resumes.
# Each one starts with fresh objects created with **another** seed, as
# after a restart; your `load_checkpoint` restores from `interrupted.pt`
# only part of them (the rest of the file goes to spare objects), and then
# the missing epochs are trained:
#
# - the weights only: the Adam optimizer starts from scratch and the batches come in another order;
# - the weights and the optimizer: only the order of the batches changes;
# - the weights and the generator: only the optimizer changes, a fresh Adam.
#
# That way each cause of difference shows on its own.


# %%
def resume_partly(restore_optimizer: bool, restore_order: bool) -> list[float]:
    """Resume interrupted.pt restoring the weights and only what is asked; train the rest."""
    model_p, optimizer_p, loader_p = make_run(SEED + 1)
    _, spare_optimizer, spare_loader = make_run(SEED + 1)  # they take the rest of the file
    optimizer_in = optimizer_p if restore_optimizer else spare_optimizer
    generator_in = loader_p.generator if restore_order else spare_loader.generator
    load_checkpoint(folder / "interrupted.pt", model_p, optimizer_in, generator_in)
    return [
        train.train_epoch(model_p, loader_p, criterion, optimizer_p, dev)
        for _ in range(half, NUM_EPOCHS)
    ]


# %% tags=["raises-exception"]
losses_weights_only = resume_partly(restore_optimizer=False, restore_order=False)
losses_new_order = resume_partly(restore_optimizer=True, restore_order=False)
losses_fresh_adam = resume_partly(restore_optimizer=False, restore_order=True)
uninterrupted_first = history["train_loss"][half]
print(f"training loss of epoch {half + 1}, the first one resumed:")
print(f"  uninterrupted run           {uninterrupted_first:.3f}")
print(f"  weights only                {losses_weights_only[0]:.3f}")
print(f"  weights and optimizer       {losses_new_order[0]:.3f}")
print(f"  weights and generator       {losses_fresh_adam[0]:.3f}")

# %% tags=["raises-exception"]
partial_runs = {
    "weights only": losses_weights_only,
    "weights and optimizer (another order)": losses_new_order,
    "weights and generator (a fresh Adam)": losses_fresh_adam,
}
fig = plots.curves({"train_loss": history["train_loss"]}, title="Resuming only in part")
ax = fig.axes[0]
ax.lines[0].set_label("uninterrupted run")
later = range(half + 1, NUM_EPOCHS + 1)
for label, losses in partial_runs.items():
    ax.plot(later, losses, "--", label=label)
ax.set_yscale("log")  # a log scale shows the gaps between small losses
ax.set_ylabel("Training loss (log scale)")
legend = ax.legend()

# %% [markdown] tags=["es"]
# En la primera época reanudada, las dos reanudaciones con un Adam nuevo
# (solo los pesos, y los pesos con el generador) casi duplican la pérdida
# del entrenamiento sin cortes; con el optimizador restaurado y otro orden
# de los lotes, la pérdida queda casi igual (a menos de un 5%). El pico es,
# pues, cosa de Adam: sus medias empiezan a cero y, con su corrección del
# sesgo, el primer paso mueve casi exactamente `lr` cada peso cuyo
# gradiente no sea cero, sea cual sea su tamaño, lo que sacude una red ya
# entrenada; el Adam restaurado, con sus medias acumuladas, da pasos mucho
# más pequeños. El orden nuevo no produce ningún pico, pero tampoco da el
# mismo entrenamiento: las pérdidas se separan de las originales en las
# épocas siguientes. Para que la reanudación sea idéntica hacen falta las
# dos cosas, y eso es lo que harás ahora.

# %% [markdown] tags=["en"]
# In the first resumed epoch, the two resumes with a fresh Adam (the
# weights only, and the weights with the generator) almost double the loss
# of the uninterrupted run; with the optimizer restored and another order of
# the batches, the loss stays almost the same (within 5%). So the spike is
# Adam's doing: its averages start at zero and, with its bias correction,
# the first step moves every weight whose gradient is not zero by almost
# exactly `lr`, whatever its size, which shakes a trained network; the
# restored Adam, with its accumulated averages, takes much smaller steps.
# The new order causes no spike, but it does not give the same run either:
# the losses part from the original ones in the following epochs. For an
# identical resume you need both, and that is what you will do now.

# %% [markdown] tags=["es"]
# ### Ejercicio: reanudar desde un punto de control
#
# Escribe `resume_training(path, model, optimizer, criterion, loader,
# num_epochs, device)`. Recibe objetos recién creados, como tras un reinicio, y debe:
#
# - restaurar el modelo, el optimizador y el generador de `loader` desde el punto de control `path`
#   con tu `load_checkpoint` (el archivo lo escribió tu `save_checkpoint`);
# - entrenar en `device` con `train.train_epoch` desde la época guardada (`load_checkpoint`
#   devuelve cuántas se hicieron) hasta completar `num_epochs`;
# - devolver la lista de pérdidas medias de las épocas que entrena (vacía si no falta ninguna).
#
# La comprobación guarda con tu `save_checkpoint` un entrenamiento cortado y
# mira que el modelo restaurado prediga lo mismo que el guardado, que el
# optimizador recupere su estado y que, al terminar, los pesos y las
# pérdidas sean idénticos a los de un entrenamiento sin cortes.

# %% [markdown] tags=["en"]
# ### Exercise: resuming from a checkpoint
#
# Write `resume_training(path, model, optimizer, criterion, loader,
# num_epochs, device)`. It receives freshly created objects, as after a restart,
# and must:
#
# - restore the model, the optimizer and the generator of `loader` from the checkpoint `path`
#   with your `load_checkpoint` (your `save_checkpoint` wrote the file);
# - train on `device` with `train.train_epoch` from the saved epoch (`load_checkpoint` returns
#   how many were done) until `num_epochs` are complete;
# - return the list of mean losses of the epochs it trains (empty if none is missing).
#
# The check saves a cut run with your `save_checkpoint` and makes sure the
# restored model predicts the same as the saved one, that the optimizer
# gets its state back and that, at the end, the weights and the losses are
# identical to those of an uninterrupted run.


# %%
def resume_training(
    path, model, optimizer, criterion, loader, num_epochs, device="cpu"
) -> list[float]:
    """Restore a run from ``path`` and train it on ``device`` until ``num_epochs`` are done."""
    ### BEGIN SOLUTION
    done = load_checkpoint(path, model, optimizer, loader.generator)
    return [
        train.train_epoch(model, loader, criterion, optimizer, device)
        for _epoch in range(done, num_epochs)
    ]
    ### END SOLUTION


# %% tags=["check"]
check.resume_training(resume_training, save_checkpoint)

# %% [markdown] tags=["es"]
# Tras el «reinicio», los objetos nuevos se crean con **otra** semilla: si
# el resultado coincide, es porque todo salió del archivo. Comparamos con el
# entrenamiento completo de antes, tensor a tensor y bit a bit.

# %% [markdown] tags=["en"]
# After the "restart", the new objects are created with **another** seed:
# if the result matches, it is because everything came from the file. We
# compare with the complete run from before, tensor by tensor and bit for bit.

# %% tags=["raises-exception"]
model_r, optimizer_r, loader_r = make_run(SEED + 1)
losses_resumed = resume_training(
    folder / "interrupted.pt", model_r, optimizer_r, criterion, loader_r, NUM_EPOCHS, dev
)
pairs = zip(model.state_dict().values(), model_r.state_dict().values(), strict=True)
difference = max((a - b).abs().max().item() for a, b in pairs)
identical = losses_resumed == history["train_loss"][half:] and difference == 0
print(f"largest weight difference: {difference} · identical run: {identical}")

# %% [markdown] tags=["es"]
# La diferencia es exactamente 0: el entrenamiento reanudado es el mismo que
# el que no se cortó, porque el punto de control guardaba todo lo que hacía falta.

# %% [markdown] tags=["en"]
# The difference is exactly 0: the resumed run is the very same as the one
# that was not cut, because the checkpoint held everything it needed.

# %% [markdown] tags=["es"]
# ## La prueba final
#
# Todas las elecciones están hechas, y todas con la validación: el modelo
# elegido es el de `best.pt`, el de la época con menor pérdida de
# validación. Solo ahora, y una sola vez, lo medimos con el conjunto de
# prueba. Como nada se ha decidido con esas imágenes, su exactitud es una
# estimación honrada de cómo le irá con imágenes nuevas.

# %% [markdown] tags=["en"]
# ## The final test
#
# Every choice has been made, and all of them with validation: the chosen
# model is the one in `best.pt`, from the epoch with the lowest validation
# loss. Only now, and only once, do we measure it on the test set. Since
# nothing has been decided with those images, its accuracy is an honest
# estimate of how it will do on new images.

# %%
_, best_test_accuracy = train.evaluate(best_model, test_loader, criterion, dev)
print(f"chosen model (epoch {best['epoch']}): test accuracy {best_test_accuracy:.2%}")

# %% [markdown] tags=["es"]
# Pasa del 85%, y esa es la cifra que se comunica de este modelo. Si ahora
# cambiaras algo por lo que ves aquí (otra época, otro tamaño de red), la
# prueba pasaría a formar parte de la elección y dejaría de ser una medida
# imparcial.

# %% [markdown] tags=["en"]
# It is above 85%, and that is the number reported for this model. If you
# now changed something because of what you see here (another epoch,
# another network size), the test would become part of the choice and stop
# being an unbiased measure.

# %% [markdown] tags=["es"]
# ## Resumen
#
# - Guarda el `state_dict` (solo tensores) y carga con `torch.load(..., weights_only=True)`;
#   nunca abras con `weights_only=False` un archivo en el que no confíes.
# - El `state_dict` guarda los parámetros y los búferes persistentes, y sus tensores son los del
#   modelo: para conservar en memoria el estado de un momento, cópialos (`copy.deepcopy`).
# - `map_location` lleva los tensores al dispositivo que tengas.
# - Para reanudar de verdad guarda también el optimizador, las épocas hechas y el estado del
#   generador: el entrenamiento reanudado es idéntico al original. Sin el optimizador, un Adam
#   nuevo dispara la pérdida; sin el generador, los lotes llegan en otro orden.
# - Compara y elige con la validación; guarda el mejor modelo, recárgalo y mídelo una sola vez
#   con el conjunto de prueba, al final. Tras cargar un modelo para predecir, llama a
#   `model.eval()`.
#
# La última celda borra la carpeta temporal con los puntos de control.

# %% [markdown] tags=["en"]
# ## Summary
#
# - Save the `state_dict` (tensors only) and load with `torch.load(..., weights_only=True)`;
#   never open with `weights_only=False` a file you do not trust.
# - The `state_dict` holds the parameters and the persistent buffers, and its tensors are the
#   model's: to keep in memory the state of one moment, copy them (`copy.deepcopy`).
# - `map_location` takes the tensors to whatever device you have.
# - To resume for real, also save the optimizer, the epochs done and the generator's state: the
#   resumed run is identical to the original. Without the optimizer, a fresh Adam makes the loss
#   jump; without the generator, the batches come in another order.
# - Compare and choose with validation; save the best model, reload it and measure it once on
#   the test set, at the end. After loading a model to predict, call `model.eval()`.
#
# The last cell deletes the temporary folder with the checkpoints.

# %%
print(f"deleting the temporary folder and its {len(list(folder.iterdir()))} files")
workdir.cleanup()
